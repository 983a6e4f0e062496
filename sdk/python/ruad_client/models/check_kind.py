from enum import StrEnum


class CheckKind(StrEnum):
    BIMI = "bimi"
    DKIM = "dkim"
    DMARC = "dmarc"
    FCRDNS = "fcrdns"
    MTA_STS = "mta_sts"
    SPF = "spf"
    TLSRPT = "tlsrpt"

    def __str__(self) -> str:
        return str(self.value)
