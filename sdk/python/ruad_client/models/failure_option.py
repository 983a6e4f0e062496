from enum import StrEnum


class FailureOption(StrEnum):
    ALL = "all"
    ANY = "any"
    DKIM = "dkim"
    SPF = "spf"

    def __str__(self) -> str:
        return str(self.value)
