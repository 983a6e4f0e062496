from enum import StrEnum


class ReportKind(StrEnum):
    DMARC_AGGREGATE = "dmarc_aggregate"
    FAILURE_REPORT = "failure_report"
    TLS_REPORT = "tls_report"

    def __str__(self) -> str:
        return str(self.value)
