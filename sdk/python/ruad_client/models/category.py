from enum import StrEnum


class Category(StrEnum):
    CRM = "crm"
    EMAIL_PROVIDER = "email_provider"
    FORWARDER_MAILING_LIST = "forwarder_mailing_list"
    HOSTING = "hosting"
    MARKETING = "marketing"
    OTHER = "other"
    SECURITY_GATEWAY = "security_gateway"
    SUPPORT = "support"
    TRANSACTIONAL = "transactional"

    def __str__(self) -> str:
        return str(self.value)
