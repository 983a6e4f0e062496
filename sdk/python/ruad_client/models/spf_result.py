from enum import StrEnum


class SpfResult(StrEnum):
    FAIL = "fail"
    NEUTRAL = "neutral"
    NONE = "none"
    PASS = "pass"
    PERMERROR = "permerror"
    SOFTFAIL = "softfail"
    TEMPERROR = "temperror"

    def __str__(self) -> str:
        return str(self.value)
