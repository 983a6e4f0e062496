//! SIGKILL the real server binary in the middle of a mailbox backfill: every message already
//! moved out of the inbox has its report stored, no message is lost, and after a restart the
//! backfill completes with every report stored once.

use crate::SECRET_KEY;
use crate::dovecot::{Auth, Dovecot, PASSWORD, USER};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MESSAGES: usize = 400;

/// A report email: a gzipped aggregate report about example.com, `crash-N` its id and subject.
pub fn report_email(n: usize) -> Vec<u8> {
    let mut xml = format!(
        "<?xml version=\"1.0\"?><feedback><version>1.0</version><report_metadata>\
         <org_name>imap-crash.example</org_name><email>d@imap-crash.example</email>\
         <report_id>crash-{n}</report_id><date_range><begin>1700000000</begin>\
         <end>1700086399</end></date_range></report_metadata><policy_published>\
         <domain>example.com</domain><p>reject</p></policy_published>"
    );
    for i in 0..20 {
        xml.push_str(&format!(
            "<record><row><source_ip>192.0.2.{i}</source_ip><count>{}</count><policy_evaluated>\
             <disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>\
             </row><identifiers><header_from>example.com</header_from></identifiers>\
             <auth_results><spf><domain>example.com</domain><result>pass</result></spf>\
             </auth_results></record>",
            n + 1
        ));
    }
    xml.push_str("</feedback>");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(xml.as_bytes()).unwrap();
    let attachment = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        gz.finish().unwrap(),
    );
    let wrapped: Vec<&str> = attachment
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "From: noreply-dmarc@imap-crash.example\r\nTo: reports@example.net\r\n\
         Subject: Report Domain: example.com Submitter: imap-crash.example Report-ID: crash-{n}\r\n\
         Message-ID: <crash-{n}@imap-crash.example>\r\nDate: Sat, 05 Dec 2026 12:00:00 +0000\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nA DMARC report.\r\n\
         --b\r\nContent-Type: application/gzip; name=\"imap-crash.example!example.com!1700000000!1700086399.xml.gz\"\r\n\
         Content-Disposition: attachment; filename=\"imap-crash.example!example.com!1700000000!1700086399.xml.gz\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
        wrapped.join("\r\n")
    )
    .into_bytes()
}

struct Server {
    env: Vec<(String, String)>,
    base: String,
}

impl Server {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ruad"));
        c.args(args)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        c
    }

    fn admin(&self, args: &[&str]) -> Value {
        let out = self.command(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn start(&self, log: &std::path::Path) -> Child {
        let mut child = self
            .command(&["serve"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if reqwest::blocking::get(format!("{}/readyz", self.base))
                .is_ok_and(|r| r.status().is_success())
            {
                return child;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("server did not become ready");
    }
}

fn stored_ids(database_url: &str) -> HashSet<String> {
    use diesel::{QueryDsl, RunQueryDsl};
    use ruad::storage::schema::reports;
    let db = ruad::storage::Db::connect(database_url, 1).unwrap();
    db.read(|conn| {
        Ok(reports::table
            .select(reports::external_id)
            .load::<String>(conn)?)
    })
    .unwrap()
    .into_iter()
    .collect()
}

fn moved_ids(dovecot: &Dovecot) -> Vec<String> {
    dovecot
        .client(&["subjects", "ruad-processed"])
        .lines()
        .filter_map(|s| {
            s.rsplit_once("Report-ID: ")
                .map(|(_, id)| id.trim().to_string())
        })
        .collect()
}

#[test]
fn sigkill_mid_backfill_moves_no_unstored_message_and_loses_none() {
    let Some(dovecot) = Dovecot::start(Auth::Password) else {
        return;
    };
    let files: Vec<std::path::PathBuf> = (0..MESSAGES)
        .map(|n| {
            let path = dovecot.dir.path().join(format!("crash-{n}.eml"));
            std::fs::write(&path, report_email(n)).unwrap();
            path
        })
        .collect();
    dovecot.append("INBOX", &files);
    assert_eq!(dovecot.count("INBOX"), MESSAGES);

    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::helpers::test_database_url(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Server {
        env: vec![
            ("RUAD_DATABASE_URL".into(), database_url.clone()),
            ("RUAD_LISTEN".into(), format!("127.0.0.1:{port}")),
            (
                "RUAD_JWT_SECRET".into(),
                "imap-crash-secret-imap-crash-secret-0000".into(),
            ),
            ("RUAD_SECRET_KEY".into(), SECRET_KEY.into()),
            (
                "RUAD_IMAP_CA_FILE".into(),
                dovecot.ca_file.display().to_string(),
            ),
            ("RUAD_OUTBOUND_ALLOW_PRIVATE".into(), "true".into()),
            ("RUAD_DNS_NAMESERVERS".into(), "127.0.0.1:1".into()),
            ("RUAD_DNS_TIMEOUT_MS".into(), "300".into()),
            ("RUAD_DNS_RECHECK_HOURS".into(), "0".into()),
        ],
        base: format!("http://127.0.0.1:{port}"),
    };
    let tenant = server.admin(&["admin", "create-tenant", "--name", "imap-crash"]);
    let key = server.admin(&[
        "admin",
        "create-api-key",
        "--tenant",
        tenant["id"].as_str().unwrap(),
        "--role",
        "admin",
    ])["key"]
        .as_str()
        .unwrap()
        .to_string();
    let log = dir.path().join("server.log");
    let mut child = server.start(&log);
    let client = reqwest::blocking::Client::new();
    let post = |path: &str, body: Value| {
        client
            .post(format!("{}{path}", server.base))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .unwrap()
    };
    assert!(
        post("/api/v1/domains", json!({"name": "example.com"}))
            .status()
            .is_success()
    );
    let created: Value = post(
        "/api/v1/mailboxes",
        json!({"host": "127.0.0.1", "port": dovecot.imaps_port, "username": USER,
               "auth": {"type": "password", "password": PASSWORD}}),
    )
    .json()
    .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let status = |client: &reqwest::blocking::Client| -> Value {
        client
            .get(format!("{}/api/v1/mailboxes/{id}", server.base))
            .bearer_auth(&key)
            .send()
            .unwrap()
            .json::<Value>()
            .unwrap()["status"]
            .clone()
    };

    // Kill it once the backfill is under way.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let s = status(&client);
        if s["messages_seen"].as_u64().unwrap() >= 40 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no progress: {s:#}\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let stored = stored_ids(&database_url);
    let moved = moved_ids(&dovecot);
    let left = dovecot.count("INBOX");
    assert!(
        left > 0,
        "the backfill ended before the kill; nothing was tested"
    );
    for m in &moved {
        assert!(
            stored.contains(m),
            "{m} was moved but its report is not stored"
        );
    }
    assert_eq!(left + moved.len(), MESSAGES, "a message was lost");
    assert_eq!(dovecot.count("ruad-rejected"), 0);

    // The restarted server finishes the backfill.
    let mut child = server.start(&log);
    let deadline = Instant::now() + Duration::from_secs(180);
    while dovecot.count("INBOX") > 0 {
        assert!(
            Instant::now() < deadline,
            "the backfill did not finish: {:#}",
            status(&client)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // The last message's record is written after its move: wait for it.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = status(&client);
        let seen = s["reports_stored"].as_u64().unwrap() + s["reports_duplicate"].as_u64().unwrap();
        if seen >= MESSAGES as u64 - 1 {
            break;
        }
        assert!(Instant::now() < deadline, "{s:#}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    let stored = stored_ids(&database_url);
    let expected: HashSet<String> = (0..MESSAGES).map(|n| format!("crash-{n}")).collect();
    assert_eq!(stored, expected);
    let moved: HashSet<String> = moved_ids(&dovecot).into_iter().collect();
    assert_eq!(moved, expected);
    assert_eq!(dovecot.count("ruad-processed"), MESSAGES);
    assert_eq!(dovecot.count("ruad-rejected"), 0);
}
