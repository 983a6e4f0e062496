from enum import StrEnum


class ErrorCode(StrEnum):
    AMBIGUOUS_DOMAIN = "ambiguous_domain"
    BAD_REQUEST = "bad_request"
    CONFLICT = "conflict"
    DIGEST_RELAY_NOT_CONFIGURED = "digest_relay_not_configured"
    DOMAIN_NOT_REGISTERED = "domain_not_registered"
    EXPIRED = "expired"
    FORBIDDEN = "forbidden"
    INTERNAL = "internal"
    INVALID_RECIPIENTS = "invalid_recipients"
    INVALID_SCHEDULE = "invalid_schedule"
    INVALID_TIME_ZONE = "invalid_time_zone"
    LOGO_INVALID = "logo_invalid"
    LOGO_TOO_LARGE = "logo_too_large"
    LOGO_UNSAFE = "logo_unsafe"
    MAIL_INTAKE_NOT_CONFIGURED = "mail_intake_not_configured"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_CONFIGURED = "not_configured"
    NOT_FOUND = "not_found"
    NO_REPORT = "no_report"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    PERIOD_TOO_LONG = "period_too_long"
    QUERY_TOO_LARGE = "query_too_large"
    REQUEST_TIMEOUT = "request_timeout"
    UNAUTHENTICATED = "unauthenticated"
    UNAVAILABLE = "unavailable"
    UNSUPPORTED_FORMAT = "unsupported_format"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_FAILED = "validation_failed"

    def __str__(self) -> str:
        return str(self.value)
