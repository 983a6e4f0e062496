from enum import StrEnum


class AttentionReason(StrEnum):
    CRITICAL_ISSUE = "critical_issue"
    LOW_PASS_RATE = "low_pass_rate"
    NO_DMARC_POLICY = "no_dmarc_policy"
    NO_RECENT_REPORT = "no_recent_report"
    POLICY_NONE = "policy_none"

    def __str__(self) -> str:
        return str(self.value)
