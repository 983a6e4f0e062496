from enum import StrEnum


class Alignment(StrEnum):
    RELAXED = "relaxed"
    STRICT = "strict"

    def __str__(self) -> str:
        return str(self.value)
