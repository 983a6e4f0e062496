//! `/mcp`: the MCP streamable HTTP transport inside `ruad serve`.
//!
//! The route takes the HTTP API's own [`Caller`] extractor, so a request without a valid API
//! key or JWT is refused before anything else with the API's 401 problem+json, and the tools
//! answer in the caller's tenant scope. The MCP protocol itself (JSON-RPC, protocol version
//! headers, `Accept` negotiation, 202 for notifications, 405 for the GET stream) is rmcp's
//! `StreamableHttpService`, run per request in stateless JSON-response mode: the actix
//! request is handed to it as an `http` 1 request and its answer returned as is. Stateless
//! means no session lives in this process, so any instance behind a load balancer serves any
//! request (DESIGN: no state another instance needs).
//!
//! Why `/mcp`, beside `/api/v1` rather than in it: MCP is one JSON-RPC endpoint with its own
//! schema (tools/list), not a REST operation of the OpenAPI document, and MCP clients are
//! configured with that one URL; the authentication and scope are the API's all the same.
//!
//! rmcp's `Host` allow-list (a defence against DNS rebinding of credential-less local
//! servers) is off: every request here carries a bearer credential a rebound browser page
//! cannot have, and ruad is reached under whatever name its operator gives it.

use super::{Context, Ruad};
use crate::api::auth::Caller;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use http_body_util::BodyExt;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use std::sync::Arc;
use tower_service::Service;

/// The route's path.
pub const PATH: &str = "/mcp";

/// Largest JSON-RPC message accepted (tool arguments are small).
const MAX_BODY: usize = 1 << 20;

/// What the route shares between requests.
pub struct Transport {
    ctx: Context,
    config: StreamableHttpServerConfig,
    sessions: Arc<NeverSessionManager>,
}

impl Transport {
    pub fn new(ctx: Context) -> Transport {
        Transport {
            ctx,
            config: StreamableHttpServerConfig::default()
                .with_legacy_session_mode(false)
                .with_json_response(true)
                .with_sse_keep_alive(None)
                .with_max_request_body_bytes(MAX_BODY)
                .disable_allowed_hosts(),
            sessions: Arc::new(NeverSessionManager::default()),
        }
    }
}

/// The `/mcp` resource (any method: the protocol answers each), with its own body limit.
pub fn resource(transport: web::Data<Transport>) -> actix_web::Resource {
    web::resource(PATH)
        .app_data(transport)
        .app_data(web::PayloadConfig::new(MAX_BODY).limit(MAX_BODY))
        .route(web::route().to(handle))
}

/// Authenticates (the extractor, first), then lets rmcp answer in the caller's scope.
async fn handle(
    caller: Caller,
    req: HttpRequest,
    body: web::Bytes,
    transport: web::Data<Transport>,
) -> HttpResponse {
    let request = match to_http(&req, body) {
        Ok(request) => request,
        Err(e) => {
            tracing::debug!(error = %e, "mcp request not convertible");
            return HttpResponse::BadRequest().finish();
        }
    };
    let ctx = transport.ctx.clone();
    let scope = caller.scope;
    let mut service = StreamableHttpService::new(
        move || Ok(Ruad::new(ctx.clone(), scope.clone())),
        transport.sessions.clone(),
        transport.config.clone(),
    );
    let response = match service.call(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    from_http(response).await
}

/// The actix request as the `http` 1 request rmcp's service takes.
fn to_http(
    req: &HttpRequest,
    body: web::Bytes,
) -> Result<http::Request<http_body_util::Full<bytes::Bytes>>, http::Error> {
    let mut builder = http::Request::builder()
        .method(req.method().as_str())
        .uri(req.uri().to_string());
    for (name, value) in req.headers() {
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    builder.body(http_body_util::Full::new(body))
}

/// rmcp's answer as an actix response: a JSON body whole, an event stream streamed.
async fn from_http(
    response: http::Response<
        http_body_util::combinators::BoxBody<bytes::Bytes, std::convert::Infallible>,
    >,
) -> HttpResponse {
    let (parts, body) = response.into_parts();
    let status = StatusCode::from_u16(parts.status.as_u16()).unwrap_or(StatusCode::OK);
    let mut out = HttpResponse::build(status);
    for (name, value) in &parts.headers {
        if name == http::header::CONTENT_LENGTH || name == http::header::TRANSFER_ENCODING {
            continue;
        }
        if let Ok(value) = actix_web::http::header::HeaderValue::from_bytes(value.as_bytes()) {
            out.append_header((name.as_str(), value));
        }
    }
    let streaming = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    if streaming {
        return out.streaming(body.into_data_stream());
    }
    match body.collect().await {
        Ok(collected) => out.body(collected.to_bytes()),
        Err(never) => match never {},
    }
}
