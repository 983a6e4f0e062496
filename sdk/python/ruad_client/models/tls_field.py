from enum import StrEnum


class TlsField(StrEnum):
    DAY = "day"
    DOMAIN = "domain"
    MONTH = "month"
    POLICY_DOMAIN = "policy_domain"
    POLICY_TYPE = "policy_type"
    RECEIVING_MX_HOSTNAME = "receiving_mx_hostname"
    REPORTER = "reporter"
    RESULT_TYPE = "result_type"
    SENDING_MTA_IP = "sending_mta_ip"
    WEEK = "week"

    def __str__(self) -> str:
        return str(self.value)
