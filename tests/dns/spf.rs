//! SPF `check_host` through hickory against a real server on loopback, where what a name can
//! carry in a DNS query decides the result: names of visible characters are asked as they
//! are; a target name that no query can carry (quotes, brackets, spaces) does not match
//! (RFC 7208 §4.3, §7.1), and neither is ever a temperror.

use crate::dns_server;
use crate::{resolver_for, zone};
use ruad::dns::spf::{SpfResult, check_host};
use std::net::IpAddr;

fn server() -> dns_server::TestDns {
    dns_server::start(&[(
        "spf.test.",
        &zone(
            r#"
@        IN TXT "v=spf1 a:%{l}.hosts.spf.test exists:%{l}.x.spf.test ip4:192.0.2.0/24 -all"
odd      IN TXT "v=spf1 a:foo:bar/baz.spf.test mx:odd/name.spf.test//64 a:mail.spf.test/24 -all"
mail     IN A   198.51.100.10
helo     IN TXT "v=spf1 ip4:203.0.113.0/24 -all"
"#,
        ),
    )])
}

async fn eval(s: &dns_server::TestDns, ip: &str, sender: &str, helo: Option<&str>) -> SpfResult {
    let resolver = resolver_for(s);
    let ip: IpAddr = ip.parse().unwrap();
    let e = check_host(&resolver, ip, "", sender, helo, 0).await;
    assert_ne!(e.result, SpfResult::Temperror, "{:#?}", e.trace);
    e.result
}

#[tokio::test]
async fn a_local_part_no_query_can_carry_makes_the_mechanism_not_match() {
    let s = server();
    // `"john doe"` expands into a label with a space and quotes: a and exists do not
    // match, and evaluation goes on to ip4.
    assert_eq!(
        eval(&s, "192.0.2.7", "\"john doe\"@spf.test", None).await,
        SpfResult::Pass
    );
    assert_eq!(
        eval(&s, "198.51.100.7", "\"john doe\"@spf.test", None).await,
        SpfResult::Fail
    );
}

#[tokio::test]
async fn a_domain_spec_with_colons_and_slashes_is_a_valid_term() {
    let s = server();
    // Not a permerror: `foo:bar/baz.spf.test` is a domain-spec without a cidr, asked about
    // as it is (NXDOMAIN here), and `odd/name.spf.test` has the IPv6 cidr 64; then
    // `a:mail.spf.test/24` matches.
    assert_eq!(
        eval(&s, "198.51.100.77", "user@odd.spf.test", None).await,
        SpfResult::Pass
    );
    assert_eq!(
        eval(&s, "203.0.113.1", "user@odd.spf.test", None).await,
        SpfResult::Fail
    );
}

#[tokio::test]
async fn a_domain_literal_helo_is_none_not_temperror() {
    let s = server();
    assert_eq!(
        eval(&s, "192.0.2.1", "", Some("[192.0.2.1]")).await,
        SpfResult::None
    );
    assert_eq!(
        eval(&s, "192.0.2.1", "postmaster@[192.0.2.1]", None).await,
        SpfResult::None
    );
    // A real HELO name still works.
    assert_eq!(
        eval(&s, "203.0.113.5", "", Some("helo.spf.test")).await,
        SpfResult::Pass
    );
}
