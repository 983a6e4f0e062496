from enum import StrEnum


class OAuthMechanism(StrEnum):
    OAUTHBEARER = "oauthbearer"
    XOAUTH2 = "xoauth2"

    def __str__(self) -> str:
        return str(self.value)
