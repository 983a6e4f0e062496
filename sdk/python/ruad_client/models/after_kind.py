from enum import StrEnum


class AfterKind(StrEnum):
    DELETE = "delete"
    MARK_SEEN = "mark_seen"
    MOVE = "move"

    def __str__(self) -> str:
        return str(self.value)
