//! An authoritative DNS server on loopback for tests: zones written as zone-file text,
//! served by hickory-server (UDP and TCP on one port) from its own thread and runtime, so
//! both `#[tokio::test]`s and blocking tests (the API's) can use it.
//!
//! Names under `servfail.test` are answered SERVFAIL, and names under `timeout.test` are
//! never answered, so the resolver's failure paths are exercised for real.

use hickory_proto::op::{Header, HeaderCounts, Metadata, ResponseCode};
use hickory_proto::rr::{LowerName, Name};
use hickory_server::Server;
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, MessageResponseBuilder, ZoneType};
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// A running test server; stops when dropped.
pub struct TestDns {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for TestDns {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Handler {
    catalog: Catalog,
    servfail: LowerName,
    timeout: LowerName,
}

#[async_trait::async_trait]
impl RequestHandler for Handler {
    async fn handle_request<R: ResponseHandler, T: hickory_server::net::runtime::Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        let name = request.queries.queries().first().map(|q| q.name().clone());
        if let Some(name) = name {
            if self.timeout.zone_of(&name) {
                // Never answer: the resolver times out.
                return no_response(request);
            }
            if self.servfail.zone_of(&name) {
                let response = MessageResponseBuilder::new(&request.queries, None)
                    .error_msg(&request.metadata, ResponseCode::ServFail);
                return match response_handle.send_response(response).await {
                    Ok(info) => info,
                    Err(_) => no_response(request),
                };
            }
        }
        self.catalog
            .handle_request::<R, T>(request, response_handle)
            .await
    }
}

/// What to report for a request left unanswered.
fn no_response(request: &Request) -> ResponseInfo {
    let mut metadata = Metadata::response_from_request(&request.metadata);
    metadata.response_code = ResponseCode::ServFail;
    ResponseInfo::from(Header {
        metadata,
        counts: HeaderCounts::default(),
    })
}

/// Starts a server for `zones` (origin, zone text). Every zone needs an SOA record.
pub fn start(zones: &[(&str, &str)]) -> TestDns {
    let mut catalog = Catalog::new();
    for (origin, text) in zones {
        let origin = Name::from_str(origin).expect("zone origin");
        let (origin, records) =
            hickory_proto::serialize::txt::Parser::new(*text, None, Some(origin.clone()))
                .parse()
                .unwrap_or_else(|e| panic!("zone {origin}: {e}"));
        let handler =
            InMemoryZoneHandler::<hickory_server::net::runtime::TokioRuntimeProvider>::new(
                origin.clone(),
                records,
                ZoneType::Primary,
                AxfrPolicy::Deny,
            )
            .expect("zone handler");
        catalog.upsert(LowerName::from(&origin), vec![Arc::new(handler)]);
    }
    let handler = Handler {
        catalog,
        servfail: LowerName::from(Name::from_str("servfail.test.").expect("name")),
        timeout: LowerName::from(Name::from_str("timeout.test.").expect("name")),
    };
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("dns runtime");
        rt.block_on(async move {
            // UDP and TCP on one port: a free UDP port may be taken for TCP (by any
            // connection's ephemeral port), so try again with another one.
            let mut bound = None;
            for _ in 0..50 {
                let udp = tokio::net::UdpSocket::bind("127.0.0.1:0")
                    .await
                    .expect("udp");
                let addr = udp.local_addr().expect("addr");
                if let Ok(tcp) = tokio::net::TcpListener::bind(addr).await {
                    bound = Some((udp, tcp, addr));
                    break;
                }
            }
            let (udp, tcp, addr) = bound.expect("a port free for both UDP and TCP");
            let mut server = Server::new(handler);
            server.register_socket(udp);
            server.register_listener(tcp, Duration::from_secs(5), 4096);
            addr_tx.send(addr).expect("send addr");
            let _ = stop_rx.await;
            let _ = server.shutdown_gracefully().await;
        });
    });
    let addr = addr_rx.recv().expect("dns server address");
    TestDns {
        addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}
