from enum import StrEnum


class FilterOp(StrEnum):
    CIDR = "cidr"
    EQUALS = "equals"
    IN = "in"
    NOT = "not"
    NOT_IN = "not_in"
    PREFIX = "prefix"
    RANGE = "range"

    def __str__(self) -> str:
        return str(self.value)
