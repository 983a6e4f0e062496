from enum import StrEnum


class DigestFrequency(StrEnum):
    MONTHLY = "monthly"
    WEEKLY = "weekly"

    def __str__(self) -> str:
        return str(self.value)
