from enum import StrEnum


class MatchedBy(StrEnum):
    DKIM_DOMAIN = "dkim_domain"
    PTR_NAME = "ptr_name"
    SPF_DOMAIN = "spf_domain"

    def __str__(self) -> str:
        return str(self.value)
