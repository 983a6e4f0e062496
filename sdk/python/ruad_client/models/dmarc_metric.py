from enum import StrEnum


class DmarcMetric(StrEnum):
    DISPOSITION_NONE = "disposition_none"
    DISPOSITION_QUARANTINE = "disposition_quarantine"
    DISPOSITION_REJECT = "disposition_reject"
    DKIM_ALIGNED = "dkim_aligned"
    DMARC_FAIL = "dmarc_fail"
    DMARC_PASS = "dmarc_pass"
    MESSAGES = "messages"
    SPF_ALIGNED = "spf_aligned"

    def __str__(self) -> str:
        return str(self.value)
