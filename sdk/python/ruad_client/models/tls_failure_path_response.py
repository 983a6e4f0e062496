from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TlsFailurePathResponse")


@_attrs_define
class TlsFailurePathResponse:
    """Failed sessions between one sending MTA and one receiving MX.

    Attributes:
        failed_sessions (int):
        receiving_mx_hostname (str): Empty when the reporter did not say.
        result_type (str):
        sending_mta_ip (str): Empty when the reporter did not say.
    """

    failed_sessions: int
    receiving_mx_hostname: str
    result_type: str
    sending_mta_ip: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failed_sessions = self.failed_sessions

        receiving_mx_hostname = self.receiving_mx_hostname

        result_type = self.result_type

        sending_mta_ip = self.sending_mta_ip

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failed_sessions": failed_sessions,
                "receiving_mx_hostname": receiving_mx_hostname,
                "result_type": result_type,
                "sending_mta_ip": sending_mta_ip,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failed_sessions = d.pop("failed_sessions")

        receiving_mx_hostname = d.pop("receiving_mx_hostname")

        result_type = d.pop("result_type")

        sending_mta_ip = d.pop("sending_mta_ip")

        tls_failure_path_response = cls(
            failed_sessions=failed_sessions,
            receiving_mx_hostname=receiving_mx_hostname,
            result_type=result_type,
            sending_mta_ip=sending_mta_ip,
        )

        tls_failure_path_response.additional_properties = d
        return tls_failure_path_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
