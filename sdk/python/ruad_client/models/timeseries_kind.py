from enum import StrEnum


class TimeseriesKind(StrEnum):
    DMARC = "dmarc"
    TLS = "tls"

    def __str__(self) -> str:
        return str(self.value)
