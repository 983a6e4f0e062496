//! Request ids: every request gets one, taken from the client's `x-request-id` header when it
//! is sane, else generated (a UUID v4). It is answered in the `x-request-id` header of every
//! response, carried by every problem body (`request_id`), named in the access log line, and
//! a field of the tracing span every log line of the request is written in.
//!
//! The id is request-scoped through a task-local ([`current`]), because problems are rendered
//! by `ResponseError::error_response`, which has no request at hand. The middleware
//! ([`assign`]) must wrap every other middleware of the app but the access logger, so the
//! problems of the body guard, the extractors, the default service and handlers are all
//! rendered inside its scope.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

/// The header a client may send and every response carries.
pub const HEADER: &str = "x-request-id";

/// The longest client-sent id accepted; a longer one is replaced.
pub const MAX_LEN: usize = 128;

/// One request's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// A new random id (a UUID v4 in its hyphenated form).
    pub fn generate() -> RequestId {
        RequestId(uuid::Uuid::new_v4().to_string())
    }

    /// The client's id when it is sane: 1 to [`MAX_LEN`] characters, each an ASCII letter or
    /// digit or one of `-_.:/+=@`, so it is safe in a header, a log line and a JSON string.
    pub fn from_client(value: &str) -> Option<RequestId> {
        let sane = !value.is_empty()
            && value.len() <= MAX_LEN
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=@".contains(&b));
        sane.then(|| RequestId(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

tokio::task_local! {
    static CURRENT: RequestId;
}

/// The id of the request being handled, if any (outside a request: `None`).
pub fn current() -> Option<RequestId> {
    CURRENT.try_with(RequestId::clone).ok()
}

/// The middleware: picks the request's id, stores it in the request's extensions and the
/// task-local, runs the rest of the app in a `request` span carrying it, and answers the id
/// in `x-request-id`. An error that comes out of the inner services as an error (not as a
/// response) is rendered here, inside that scope, so its problem carries the id too.
pub async fn assign(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(RequestId::from_client)
        .unwrap_or_else(RequestId::generate);
    req.extensions_mut().insert(id.clone());
    let span = tracing::info_span!("request", request_id = %id);
    let header = HeaderValue::from_str(id.as_str()).ok();
    let name = HeaderName::from_static(HEADER);
    CURRENT
        .scope(id, async move {
            match next.call(req).await {
                Ok(mut response) => {
                    if let Some(value) = header {
                        response.headers_mut().insert(name, value);
                    }
                    Ok(response)
                }
                Err(error) => {
                    let mut response = error.error_response();
                    if let Some(value) = header {
                        response.headers_mut().insert(name, value);
                    }
                    Err(InternalError::from_response(error.to_string(), response).into())
                }
            }
        })
        .instrument(span)
        .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::api::error::ApiError;
    use actix_web::{App, test as actix_test, web};

    #[test]
    fn a_sane_client_id_is_kept() {
        for id in [
            "abc",
            "0193f0a2-7c1e-7def-8000-000000000001",
            "a/b+c=d@e:f.g_h",
        ] {
            assert_eq!(RequestId::from_client(id).unwrap().as_str(), id);
        }
        assert!(RequestId::from_client(&"a".repeat(MAX_LEN)).is_some());
    }

    #[test]
    fn an_unsafe_or_overlong_client_id_is_refused() {
        for id in [
            "",
            "with space",
            "quote\"",
            "new\nline",
            "back\\slash",
            "ümlaut",
            "semi;colon",
        ] {
            assert!(RequestId::from_client(id).is_none(), "{id:?}");
        }
        assert!(RequestId::from_client(&"a".repeat(MAX_LEN + 1)).is_none());
    }

    #[test]
    fn generated_ids_are_distinct_and_sane() {
        let (a, b) = (RequestId::generate(), RequestId::generate());
        assert_ne!(a, b);
        assert!(RequestId::from_client(a.as_str()).is_some());
    }

    async fn refusing(
        _: ServiceRequest,
        _: Next<impl MessageBody + 'static>,
    ) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
        Err::<ServiceResponse, _>(ApiError::Forbidden("refused by a middleware".into()).into())
    }

    #[actix_web::test]
    async fn an_error_a_middleware_returns_is_a_problem_with_the_request_id() {
        let app = actix_test::init_service(
            App::new()
                .route("/x", web::get().to(|| async { "unreachable" }))
                .wrap(actix_web::middleware::from_fn(refusing))
                .wrap(actix_web::middleware::from_fn(assign)),
        )
        .await;

        // The server renders an error that reaches it with `error_response`, as here.
        let error = actix_test::try_call_service(
            &app,
            actix_test::TestRequest::get().uri("/x").to_request(),
        )
        .await
        .err()
        .unwrap();
        let response = ServiceResponse::new(
            actix_test::TestRequest::default().to_http_request(),
            error.error_response(),
        );

        assert_eq!(response.status(), 403);
        let header = response.headers().get(HEADER).unwrap().to_str().unwrap();
        let header = header.to_string();
        let body: serde_json::Value = actix_test::read_body_json(response).await;
        assert_eq!(body["code"], "forbidden");
        assert_eq!(body["request_id"], header.as_str());
    }
}
