from enum import StrEnum


class Event(StrEnum):
    FAILURE_REPORT_RECEIVED = "failure_report.received"
    ISSUE_OPENED = "issue.opened"
    ISSUE_RESOLVED = "issue.resolved"
    REPORT_RECEIVED = "report.received"

    def __str__(self) -> str:
        return str(self.value)
