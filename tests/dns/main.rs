//! DNS tests against a real authoritative server on loopback (hickory-server), through the
//! same hickory resolver code path that ruad runs in production.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/dns_server.rs"]
mod dns_server;
#[path = "../common/https_server.rs"]
mod https_server;

mod checks;
mod cli;
mod generated;
mod resolver;
mod spf;

pub use checks::servers as checks_zones;

use ruad::dns::Resolver;
use ruad::dns::resolver::ResolverSettings;
use std::time::Duration;

/// A resolver that asks only the test server, without cache, failing fast.
pub fn resolver_for(server: &dns_server::TestDns) -> Resolver {
    Resolver::new(&ResolverSettings {
        nameservers: vec![server.addr],
        timeout: Duration::from_millis(400),
        attempts: 1,
        cache_size: 0,
    })
    .expect("resolver")
}

pub const SOA: &str = "@ 3600 IN SOA ns.example.test. admin.example.test. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.example.test.\n";

/// Zone text with the SOA and NS every test zone needs.
pub fn zone(body: &str) -> String {
    format!("{SOA}{body}")
}
