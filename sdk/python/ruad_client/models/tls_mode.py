from enum import StrEnum


class TlsMode(StrEnum):
    IMPLICIT = "implicit"
    STARTTLS = "starttls"

    def __str__(self) -> str:
        return str(self.value)
