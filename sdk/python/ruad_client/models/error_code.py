from enum import StrEnum


class ErrorCode(StrEnum):
    AMBIGUOUS_DOMAIN = "ambiguous_domain"
    BAD_REQUEST = "bad_request"
    CONFLICT = "conflict"
    DOMAIN_NOT_REGISTERED = "domain_not_registered"
    FORBIDDEN = "forbidden"
    INTERNAL = "internal"
    MAIL_INTAKE_NOT_CONFIGURED = "mail_intake_not_configured"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_CONFIGURED = "not_configured"
    NOT_FOUND = "not_found"
    NO_REPORT = "no_report"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    REQUEST_TIMEOUT = "request_timeout"
    UNAUTHENTICATED = "unauthenticated"
    UNAVAILABLE = "unavailable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_FAILED = "validation_failed"

    def __str__(self) -> str:
        return str(self.value)
