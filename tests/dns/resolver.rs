//! The resolver layer: every outcome the RFCs tell apart, from a real server.

use crate::dns_server;
use crate::{resolver_for, zone};
use ruad::dns::DnsError;

fn server() -> dns_server::TestDns {
    dns_server::start(&[
        (
            "example.test.",
            &zone(
                r#"
ns          IN A     127.0.0.1
@           IN TXT   "v=spf1 ip4:192.0.2.0/24 " "include:_spf.example.test -all"
_dmarc      IN TXT   "v=DMARC1; p=reject"
@           IN MX    20 mx2.example.test.
@           IN MX    10 mx1.example.test.
mx1         IN A     192.0.2.10
mx1         IN AAAA  2001:db8::10
alias       IN CNAME target.example.test.
target      IN TXT   "reached through a CNAME"
a.deep      IN A     192.0.2.20
"#,
            ),
        ),
        (
            "2.0.192.in-addr.arpa.",
            &zone("10 IN PTR mx1.example.test.\n"),
        ),
    ])
}

#[tokio::test]
async fn split_txt_strings_are_kept_as_chunks_and_joined_without_spaces() {
    let s = server();
    let r = resolver_for(&s);
    let txt = r.txt("example.test").await.unwrap();
    assert_eq!(txt.len(), 1);
    assert_eq!(txt[0].chunks.len(), 2);
    assert_eq!(
        txt[0].text(),
        "v=spf1 ip4:192.0.2.0/24 include:_spf.example.test -all"
    );
}

#[tokio::test]
async fn nxdomain_nodata_and_an_empty_non_terminal_are_told_apart() {
    let s = server();
    let r = resolver_for(&s);
    assert!(matches!(
        r.txt("nope.example.test").await,
        Err(DnsError::NxDomain { .. })
    ));
    assert!(matches!(
        r.txt("mx1.example.test").await,
        Err(DnsError::NoData { .. })
    ));
    assert!(matches!(
        r.txt("deep.example.test").await,
        Err(DnsError::NoData { .. })
    ));
    for e in [
        r.txt("nope.example.test").await.unwrap_err(),
        r.txt("mx1.example.test").await.unwrap_err(),
    ] {
        assert!(e.is_void(), "{e}");
    }
}

#[tokio::test]
async fn cnames_are_followed() {
    let s = server();
    let r = resolver_for(&s);
    let txt = r.txt("alias.example.test").await.unwrap();
    assert_eq!(txt[0].text(), "reached through a CNAME");
}

#[tokio::test]
async fn addresses_mx_and_ptr_come_back_normalized() {
    let s = server();
    let r = resolver_for(&s);
    assert_eq!(
        r.a("mx1.example.test").await.unwrap(),
        vec!["192.0.2.10".parse::<std::net::Ipv4Addr>().unwrap()]
    );
    assert_eq!(
        r.aaaa("mx1.example.test").await.unwrap(),
        vec!["2001:db8::10".parse::<std::net::Ipv6Addr>().unwrap()]
    );
    let mx: Vec<(u16, String)> = r
        .mx("example.test")
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.preference, m.exchange))
        .collect();
    assert_eq!(
        mx,
        vec![
            (10, "mx1.example.test".to_string()),
            (20, "mx2.example.test".to_string())
        ]
    );
    assert_eq!(
        r.ptr("192.0.2.10".parse().unwrap()).await.unwrap(),
        vec!["mx1.example.test".to_string()]
    );
    assert!(matches!(
        r.ptr("192.0.2.99".parse().unwrap()).await,
        Err(DnsError::NxDomain { .. })
    ));
}

#[tokio::test]
async fn servfail_and_refused_are_lookup_failures_not_absence() {
    let s = server();
    let r = resolver_for(&s);
    match r.txt("_dmarc.x.servfail.test").await {
        Err(e @ DnsError::Failed { timeout: false, .. }) => assert!(!e.is_void()),
        other => panic!("expected a failure, got {other:?}"),
    }
    // A name in no zone of the server is refused.
    assert!(matches!(
        r.txt("elsewhere.example.org").await,
        Err(DnsError::Failed { timeout: false, .. })
    ));
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    let s = server();
    let r = resolver_for(&s);
    let started = std::time::Instant::now();
    match r.txt("_dmarc.x.timeout.test").await {
        Err(DnsError::Failed { timeout: true, .. }) => {}
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
