from enum import StrEnum


class AnsweredFrom(StrEnum):
    RECORDS = "records"
    ROLLUPS = "rollups"

    def __str__(self) -> str:
        return str(self.value)
