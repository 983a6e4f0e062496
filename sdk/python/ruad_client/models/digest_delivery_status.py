from enum import StrEnum


class DigestDeliveryStatus(StrEnum):
    FAILED = "failed"
    QUEUED = "queued"
    SENT = "sent"

    def __str__(self) -> str:
        return str(self.value)
