from enum import StrEnum


class DmarcField(StrEnum):
    ALIGNMENT = "alignment"
    DAY = "day"
    DISPOSITION = "disposition"
    DKIM_DOMAIN = "dkim_domain"
    DKIM_RESULT = "dkim_result"
    DOMAIN = "domain"
    HEADER_FROM = "header_from"
    MONTH = "month"
    POLICY = "policy"
    REPORTER = "reporter"
    SERVICE = "service"
    SERVICE_CATEGORY = "service_category"
    SOURCE_IP = "source_ip"
    SOURCE_NETWORK = "source_network"
    SPF_DOMAIN = "spf_domain"
    SPF_RESULT = "spf_result"
    WEEK = "week"

    def __str__(self) -> str:
        return str(self.value)
