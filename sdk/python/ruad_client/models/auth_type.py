from enum import StrEnum


class AuthType(StrEnum):
    OAUTH2 = "oauth2"
    PASSWORD = "password"

    def __str__(self) -> str:
        return str(self.value)
