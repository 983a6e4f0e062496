from enum import StrEnum


class Step(StrEnum):
    ENFORCED = "enforced"
    FIX_SERVICES_FIRST = "fix_services_first"
    NO_DATA = "no_data"
    QUARANTINE = "quarantine"
    REJECT = "reject"
    REJECT_SUBDOMAINS = "reject_subdomains"
    REVIEW_UNKNOWN_SOURCES = "review_unknown_sources"

    def __str__(self) -> str:
        return str(self.value)
