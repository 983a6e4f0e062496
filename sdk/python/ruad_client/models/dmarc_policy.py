from enum import StrEnum


class DmarcPolicy(StrEnum):
    NONE = "none"
    QUARANTINE = "quarantine"
    REJECT = "reject"

    def __str__(self) -> str:
        return str(self.value)
