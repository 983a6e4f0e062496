from enum import StrEnum


class FailurePrivacy(StrEnum):
    FULL = "full"
    HEADERS = "headers"
    REDACTED = "redacted"

    def __str__(self) -> str:
        return str(self.value)
