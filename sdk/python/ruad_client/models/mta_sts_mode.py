from enum import StrEnum


class MtaStsMode(StrEnum):
    ENFORCE = "enforce"
    NONE = "none"
    TESTING = "testing"

    def __str__(self) -> str:
        return str(self.value)
