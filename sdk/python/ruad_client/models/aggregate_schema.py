from enum import StrEnum


class AggregateSchema(StrEnum):
    DRAFT = "draft"
    RFC7489 = "rfc7489"
    RFC9990 = "rfc9990"

    def __str__(self) -> str:
        return str(self.value)
