from enum import StrEnum


class ListPortfolioSort(StrEnum):
    ATTENTION = "attention"
    DOMAIN = "domain"
    LAST_REPORT_AT = "last_report_at"
    MESSAGES = "messages"
    PASS_RATE = "pass_rate"

    def __str__(self) -> str:
        return str(self.value)
