from enum import StrEnum


class IssueCode(StrEnum):
    DKIM_KEY_INVALID = "dkim_key_invalid"
    DMARC_NO_RUA = "dmarc_no_rua"
    DMARC_RECORD_MISSING = "dmarc_record_missing"
    DMARC_REPORTS_NOT_RECEIVED = "dmarc_reports_not_received"
    FAILURE_REPORT_BURST = "failure_report_burst"
    FORWARDING_DETECTED = "forwarding_detected"
    MTA_STS_MX_NOT_COVERED = "mta_sts_mx_not_covered"
    MTA_STS_POLICY_UNAVAILABLE = "mta_sts_policy_unavailable"
    NO_RECENT_REPORTS = "no_recent_reports"
    POLICY_NONE_READY_TO_ENFORCE = "policy_none_ready_to_enforce"
    REPORTS_STOPPED = "reports_stopped"
    SERVICE_DKIM_UNALIGNED = "service_dkim_unaligned"
    SERVICE_FAILING_DMARC = "service_failing_dmarc"
    SERVICE_MAIL_BLOCKED = "service_mail_blocked"
    SERVICE_SPF_UNALIGNED = "service_spf_unaligned"
    SPF_LOOKUP_LIMIT_EXCEEDED = "spf_lookup_limit_exceeded"
    SPF_PASS_ALL = "spf_pass_all"
    SPF_RECORD_MISSING = "spf_record_missing"
    SPOOFING_SUSPECTED = "spoofing_suspected"
    TLSRPT_MISSING = "tlsrpt_missing"
    TLS_CERTIFICATE_EXPIRED = "tls_certificate_expired"
    TLS_CERTIFICATE_HOST_MISMATCH = "tls_certificate_host_mismatch"
    TLS_DANE_REQUIRED = "tls_dane_required"
    TLS_DNSSEC_INVALID = "tls_dnssec_invalid"
    TLS_FAILURE_RATE_JUMP = "tls_failure_rate_jump"
    TLS_OTHER_FAILURE = "tls_other_failure"
    TLS_STARTTLS_NOT_SUPPORTED = "tls_starttls_not_supported"
    TLS_STS_POLICY_FETCH_ERROR = "tls_sts_policy_fetch_error"
    TLS_STS_POLICY_INVALID = "tls_sts_policy_invalid"
    TLS_STS_WEBPKI_INVALID = "tls_sts_webpki_invalid"
    TLS_TLSA_INVALID = "tls_tlsa_invalid"
    TLS_VALIDATION_FAILURE = "tls_validation_failure"

    def __str__(self) -> str:
        return str(self.value)
