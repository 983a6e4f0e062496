from enum import StrEnum


class TlsMetric(StrEnum):
    FAILED_SESSIONS = "failed_sessions"
    SUCCESSFUL_SESSIONS = "successful_sessions"
    TOTAL_SESSIONS = "total_sessions"

    def __str__(self) -> str:
        return str(self.value)
