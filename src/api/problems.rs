//! The spec's problem responses, declared once under `components.responses` and referred to
//! by every operation, and the `x-request-id` header, declared once under
//! `components.headers` and named by every response.
//!
//! [`apply`] post-processes the generated document:
//! - the problems that come from layers below the handlers are added to every operation they
//!   apply to (400 everywhere; 401 where the operation has a security requirement; 408 and
//!   413 with a request body, 415 with a JSON one; 409 `ambiguous_domain` on `{domain}`
//!   paths; 500 and 503 on every `/api/v1` operation);
//! - an inline problem response an annotation still declares is replaced by the shared one
//!   when it says no more: always for the statuses whose meaning does not depend on the
//!   operation (400, 401, 408, 500, 503), and for the descriptions in [`REDUNDANT`];
//!   an operation's own description that tells more (`no_report`, which tenant, which limit)
//!   stays its own response;
//! - every response that is not a reference gets the `x-request-id` header.
//!
//! Annotations name the shared responses whose use cannot be derived (403, 404, a generic
//! 422) with `(status = 404, response = NotFound)`, through the unit types below.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// One shared problem response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    BadRequest,
    Unauthenticated,
    AdminRequired,
    WriterRequired,
    NotFound,
    RequestTimeout,
    AmbiguousDomain,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    Internal,
    Unavailable,
}

impl Shared {
    pub const ALL: [Shared; 12] = [
        Shared::BadRequest,
        Shared::Unauthenticated,
        Shared::AdminRequired,
        Shared::WriterRequired,
        Shared::NotFound,
        Shared::RequestTimeout,
        Shared::AmbiguousDomain,
        Shared::PayloadTooLarge,
        Shared::UnsupportedMediaType,
        Shared::ValidationFailed,
        Shared::Internal,
        Shared::Unavailable,
    ];

    /// Its name under `components.responses`.
    pub fn name(self) -> &'static str {
        match self {
            Shared::BadRequest => "BadRequest",
            Shared::Unauthenticated => "Unauthenticated",
            Shared::AdminRequired => "AdminRequired",
            Shared::WriterRequired => "WriterRequired",
            Shared::NotFound => "NotFound",
            Shared::RequestTimeout => "RequestTimeout",
            Shared::AmbiguousDomain => "AmbiguousDomain",
            Shared::PayloadTooLarge => "PayloadTooLarge",
            Shared::UnsupportedMediaType => "UnsupportedMediaType",
            Shared::ValidationFailed => "ValidationFailed",
            Shared::Internal => "Internal",
            Shared::Unavailable => "Unavailable",
        }
    }

    pub fn status(self) -> &'static str {
        match self {
            Shared::BadRequest => "400",
            Shared::Unauthenticated => "401",
            Shared::AdminRequired | Shared::WriterRequired => "403",
            Shared::NotFound => "404",
            Shared::RequestTimeout => "408",
            Shared::AmbiguousDomain => "409",
            Shared::PayloadTooLarge => "413",
            Shared::UnsupportedMediaType => "415",
            Shared::ValidationFailed => "422",
            Shared::Internal => "500",
            Shared::Unavailable => "503",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Shared::BadRequest => {
                "Malformed request (`bad_request`): a path segment, query parameter or body \
                 that does not fit the operation; `detail` says which"
            }
            Shared::Unauthenticated => {
                "No valid credentials (`unauthenticated`): the bearer token is missing, \
                 malformed, expired or revoked"
            }
            Shared::AdminRequired => "Needs the admin role (`forbidden`)",
            Shared::WriterRequired => "Needs the writer role (`forbidden`)",
            Shared::NotFound => {
                "Not found (`not_found`): the resource does not exist or is not visible to the \
                 caller"
            }
            Shared::RequestTimeout => "The request body arrived too slowly (`request_timeout`)",
            Shared::AmbiguousDomain => {
                "The domain name is registered by several tenants of the caller's subtree \
                 (`ambiguous_domain`): name the domain by its id"
            }
            Shared::PayloadTooLarge => "The request body is too large (`payload_too_large`)",
            Shared::UnsupportedMediaType => {
                "The body is not sent as `application/json` (`unsupported_media_type`)"
            }
            Shared::ValidationFailed => {
                "Well-formed but not valid (`validation_failed`); `detail` names the field"
            }
            Shared::Internal => {
                "An unexpected error (`internal`); the server log holds its cause under the \
                 request id"
            }
            Shared::Unavailable => "The database is unavailable (`unavailable`); retry later",
        }
    }

    /// The statuses whose meaning does not depend on the operation: an inline problem
    /// response at one of them is always replaced by the shared one.
    fn uniform(status: &str) -> Option<Shared> {
        match status {
            "400" => Some(Shared::BadRequest),
            "401" => Some(Shared::Unauthenticated),
            "408" => Some(Shared::RequestTimeout),
            "500" => Some(Shared::Internal),
            "503" => Some(Shared::Unavailable),
            _ => None,
        }
    }

    fn reference(self) -> RefOr<Response> {
        RefOr::Ref(Ref::from_response_name(self.name()))
    }

    /// The response itself, as declared under `components.responses`.
    pub fn response(self) -> Response {
        let mut response = ResponseBuilder::new()
            .description(self.description())
            .content(
                "application/problem+json",
                Content::new(Some(Ref::from_schema_name("Problem"))),
            )
            .build();
        add_request_id_header(&mut response);
        if self == Shared::Unauthenticated {
            response.headers.insert(
                "WWW-Authenticate".into(),
                RefOr::T(
                    HeaderBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                        .description(Some("`Bearer`"))
                        .build(),
                ),
            );
        }
        response
    }
}

/// Inline problem descriptions (of annotations not yet using the shared responses) that say
/// no more than a shared response of the same status, which replaces them.
const REDUNDANT: &[(&str, &str, Shared)] = &[
    ("403", "Needs the admin role", Shared::AdminRequired),
    ("403", "Needs the writer role", Shared::WriterRequired),
    ("404", "Not found", Shared::NotFound),
    ("404", "Domain not found", Shared::NotFound),
    ("413", "Upload too large", Shared::PayloadTooLarge),
];

/// The unit types annotations name: `(status = 404, response = NotFound)`.
macro_rules! response_types {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("The shared `", stringify!($name), "` problem response, for `#[utoipa::path]`.")]
        pub struct $name;

        impl<'r> utoipa::ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (Shared::$name.name(), RefOr::T(Shared::$name.response()))
            }
        }
    )*};
}

response_types!(
    AdminRequired,
    WriterRequired,
    NotFound,
    ValidationFailed,
    AmbiguousDomain
);

/// The name of the `x-request-id` header under `components.headers`.
const REQUEST_ID_HEADER: &str = "RequestId";

fn request_id_header() -> Header {
    HeaderBuilder::new()
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(crate::api::request_id::MAX_LEN)),
        ))
        .description(Some(
            "The request's id: the client's own `x-request-id` when it sent a sane one (1 to \
             128 ASCII letters, digits and `-_.:/+=@`), else a generated UUID. The server's log \
             lines of the request carry it, and a problem carries it as `request_id`.",
        ))
        .build()
}

fn add_request_id_header(response: &mut Response) {
    response.headers.insert(
        crate::api::request_id::HEADER.into(),
        RefOr::Ref(Ref::new(format!(
            "#/components/headers/{REQUEST_ID_HEADER}"
        ))),
    );
}

fn is_problem(response: &Response) -> bool {
    response.content.contains_key("application/problem+json")
}

/// Post-processes the generated document (see the module header).
pub fn apply(api: &mut OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    components
        .headers
        .insert(REQUEST_ID_HEADER.into(), RefOr::T(request_id_header()));
    for shared in Shared::ALL {
        components
            .responses
            .insert(shared.name().into(), RefOr::T(shared.response()));
    }
    for (path, item) in api.paths.paths.iter_mut() {
        let by_domain = path.contains("{domain}");
        let in_api = path.starts_with("/api/v1/");
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let secured = operation
                .security
                .as_ref()
                .is_some_and(|requirements| !requirements.is_empty());
            let body = operation.request_body.as_ref().map(|body| match body {
                RefOr::T(b) => b.content.contains_key("application/json"),
                RefOr::Ref(_) => false,
            });
            let responses = &mut operation.responses.responses;
            for (status, response) in responses.iter_mut() {
                let RefOr::T(inline) = response else {
                    continue;
                };
                let shared = if is_problem(inline) {
                    Shared::uniform(status).or_else(|| {
                        REDUNDANT
                            .iter()
                            .find(|(s, d, _)| s == status && *d == inline.description)
                            .map(|(_, _, shared)| *shared)
                    })
                } else {
                    None
                };
                match shared {
                    Some(shared) => *response = shared.reference(),
                    None => add_request_id_header(inline),
                }
            }
            let mut add = |shared: Shared| {
                responses
                    .entry(shared.status().to_string())
                    .or_insert_with(|| shared.reference());
            };
            add(Shared::BadRequest);
            if secured {
                add(Shared::Unauthenticated);
            }
            if by_domain {
                add(Shared::AmbiguousDomain);
            }
            if let Some(json) = body {
                add(Shared::RequestTimeout);
                add(Shared::PayloadTooLarge);
                if json {
                    add(Shared::UnsupportedMediaType);
                }
            }
            if in_api {
                add(Shared::Internal);
                add(Shared::Unavailable);
            }
        }
    }
}
