//! A real Dovecot (Debian's `dovecot-imapd`) on loopback for one test: a throwaway
//! configuration in a temporary directory (run, state and log files there; Maildir mail
//! there), one passwd-file user, TLS with a certificate for 127.0.0.1 signed by a test CA
//! (`ca_pem` for ruad's `imap_ca_file`), IMAPS and IMAP+STARTTLS listeners on free ports.
//! With [`Auth::OAuth2`], logins are XOAUTH2/OAUTHBEARER checked by Dovecot's `oauth2`
//! passdb against an introspection URL.
//!
//! Messages are put in and looked at with Python's `imaplib` (`imap_client.py`), a client
//! no one here wrote.
//!
//! Without Dovecot installed, [`Dovecot::start`] answers `None` after a loud message, unless
//! `TEST_REQUIRE_DOVECOT` is set (CI), where it fails the test.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "reports@example.net";
pub const PASSWORD: &str = "correct horse battery staple";

/// How users log in.
pub enum Auth {
    /// passwd-file with [`USER`] / [`PASSWORD`].
    Password,
    /// `oauth2` passdb: tokens are checked at this introspection URL (POST `token=…`).
    OAuth2 { introspection_url: String },
}

pub struct Dovecot {
    pub dir: tempfile::TempDir,
    /// IMAPS (implicit TLS).
    pub imaps_port: u16,
    /// IMAP with STARTTLS.
    pub imap_port: u16,
    /// The test CA's certificate (PEM file) that signed the server's certificate.
    pub ca_file: PathBuf,
    child: Child,
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new(binary().unwrap_or_else(|| PathBuf::from("dovecot")))
            .arg("-c")
            .arg(self.dir.path().join("dovecot.conf"))
            .arg("stop")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|dir| dir.join("dovecot"))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// uid and gid of a system user, from /etc/passwd.
fn user_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() > 3 && f[0] == name {
            Some((f[2].parse().ok()?, f[3].parse().ok()?))
        } else {
            None
        }
    })
}

fn current_ids() -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    // A file we create is owned by our effective ids.
    let probe = tempfile::NamedTempFile::new().unwrap();
    let meta = probe.as_file().metadata().unwrap();
    (meta.uid(), meta.gid())
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid, gid);
        }
    }
}

fn certificates(dir: &Path) -> PathBuf {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "ruad dovecot test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".into()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    std::fs::write(dir.join("cert.pem"), leaf.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), leaf_key.serialize_pem()).unwrap();
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    ca_file
}

impl Dovecot {
    /// Starts Dovecot, or answers `None` when it is not installed (and not required).
    pub fn start(auth: Auth) -> Option<Dovecot> {
        let Some(bin) = binary() else {
            if std::env::var_os("TEST_REQUIRE_DOVECOT").is_some() {
                panic!("dovecot is not installed, and TEST_REQUIRE_DOVECOT is set");
            }
            eprintln!(
                "\n*** SKIPPED: dovecot is not installed (Debian: apt-get install dovecot-imapd); \
                 the IMAP tests did not run ***\n"
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Dovecot's unprivileged processes must reach the sockets and files in here.
        std::fs::set_permissions(root, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        let ca_file = certificates(root);
        let (imaps_port, imap_port) = (free_port(), free_port());
        let (me, _) = current_ids();
        // As root, Dovecot runs its processes as its own users and refuses mail access as
        // root; otherwise everything runs as the current user.
        let (internal_user, login_user, mail_ids) = if me == 0 {
            let ids = user_ids("dovecot").expect("the dovecot user (dovecot-core creates it)");
            ("dovecot", "dovenull", ids)
        } else {
            let name = std::env::var("USER").unwrap_or_else(|_| "nobody".into());
            let leaked: &'static str = Box::leak(name.into_boxed_str());
            (leaked, leaked, current_ids())
        };
        for sub in ["mail", "home"] {
            chown_tree(&root.join(sub), mail_ids.0, mail_ids.1);
        }
        let (mechanisms, passdb) = match &auth {
            Auth::Password => {
                std::fs::write(
                    root.join("passwd"),
                    format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
                )
                .unwrap();
                (
                    "plain login",
                    format!(
                        "passdb {{\n  driver = passwd-file\n  args = username_format=%u {}\n}}\n",
                        root.join("passwd").display()
                    ),
                )
            }
            Auth::OAuth2 { introspection_url } => {
                let ext = root.join("oauth2.conf.ext");
                std::fs::write(
                    &ext,
                    format!(
                        "introspection_url = {introspection_url}\nintrospection_mode = post\n\
                         force_introspection = yes\nusername_attribute = username\n\
                         username_format = %u\nactive_attribute = active\nactive_value = true\n\
                         timeout_msecs = 5000\n"
                    ),
                )
                .unwrap();
                (
                    "xoauth2 oauthbearer",
                    format!(
                        "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {}\n}}\n",
                        ext.display()
                    ),
                )
            }
        };
        let conf = format!(
            r#"instance_name = ruad-test-{imaps_port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = {mechanisms}
auth_verbose = yes
default_internal_user = {internal_user}
default_login_user = {login_user}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
namespace inbox {{
  inbox = yes
  separator = /
}}
{passdb}userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"#,
            root = root.display(),
            uid = mail_ids.0,
            gid = mail_ids.1,
        );
        std::fs::File::create(root.join("dovecot.conf"))
            .unwrap()
            .write_all(conf.as_bytes())
            .unwrap();
        let child = Command::new(&bin)
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(root.join("dovecot.stderr")).unwrap())
            .spawn()
            .unwrap();
        let dovecot = Dovecot {
            dir,
            imaps_port,
            imap_port,
            ca_file,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", imaps_port)).is_err()
            || std::net::TcpStream::connect(("127.0.0.1", imap_port)).is_err()
        {
            assert!(
                Instant::now() < deadline,
                "dovecot did not start: {}\n{}",
                std::fs::read_to_string(dovecot.dir.path().join("dovecot.stderr"))
                    .unwrap_or_default(),
                dovecot.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(dovecot)
    }

    /// Delivers the files into [`USER`]'s INBOX the way an MTA's Maildir delivery does
    /// (written in `tmp/`, renamed into `new/`), owned by the mail user.
    pub fn deliver(&self, files: &[PathBuf]) {
        use std::os::unix::fs::MetadataExt;
        let inbox = self.dir.path().join("mail").join(USER);
        let owner = std::fs::metadata(self.dir.path().join("mail")).unwrap();
        for sub in ["tmp", "new", "cur"] {
            let d = inbox.join(sub);
            std::fs::create_dir_all(&d).unwrap();
            chown_tree(&inbox, owner.uid(), owner.gid());
        }
        for (n, file) in files.iter().enumerate() {
            let name = format!(
                "{}.M{}P{}Q{n}.ruad-test",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_micros(),
                std::process::id()
            );
            let tmp = inbox.join("tmp").join(&name);
            std::fs::copy(file, &tmp).unwrap();
            std::os::unix::fs::chown(&tmp, Some(owner.uid()), Some(owner.gid())).unwrap();
            std::fs::rename(&tmp, inbox.join("new").join(&name)).unwrap();
        }
    }

    /// Dovecot's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Runs `imap_client.py` (Python's imaplib) as [`USER`] over IMAPS: `args` is the command
    /// and its arguments; answers its stdout.
    pub fn client(&self, args: &[&str]) -> String {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/imap/imap_client.py");
        let out = Command::new("python3")
            .arg(script)
            .arg(self.imaps_port.to_string())
            .arg(&self.ca_file)
            .arg(USER)
            .arg(PASSWORD)
            .args(args)
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "imap_client.py {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Appends the files to `folder` (created when missing).
    pub fn append(&self, folder: &str, files: &[PathBuf]) {
        let mut args = vec!["append", folder];
        let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        args.extend(paths.iter().map(String::as_str));
        self.client(&args);
    }

    /// Messages in `folder` (0 when it does not exist).
    pub fn count(&self, folder: &str) -> usize {
        self.client(&["count", folder]).trim().parse().unwrap()
    }

    /// The folder's UIDVALIDITY.
    pub fn uidvalidity(&self, folder: &str) -> u32 {
        self.client(&["uidvalidity", folder])
            .trim()
            .parse()
            .unwrap()
    }
}
