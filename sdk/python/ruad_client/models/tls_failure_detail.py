from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TlsFailureDetail")


@_attrs_define
class TlsFailureDetail:
    """RFC 8460 §4.3 `failure-details` entry.

    Attributes:
        failed_session_count (int):
        result_type (str): One of `starttls-not-supported`, `certificate-host-mismatch`, `certificate-expired`,
            `certificate-not-trusted`, `validation-failure`, `tlsa-invalid`, `dnssec-invalid`, `dane-required`, `sts-policy-
            fetch-error`, `sts-policy-invalid`, `sts-webpki-invalid`; any other value a reporter sent is kept verbatim.
        additional_information (None | str | Unset):
        failure_reason_code (None | str | Unset):
        receiving_ip (None | str | Unset):
        receiving_mx_helo (None | str | Unset):
        receiving_mx_hostname (None | str | Unset):
        sending_mta_ip (None | str | Unset):
    """

    failed_session_count: int
    result_type: str
    additional_information: None | str | Unset = UNSET
    failure_reason_code: None | str | Unset = UNSET
    receiving_ip: None | str | Unset = UNSET
    receiving_mx_helo: None | str | Unset = UNSET
    receiving_mx_hostname: None | str | Unset = UNSET
    sending_mta_ip: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failed_session_count = self.failed_session_count

        result_type = self.result_type

        additional_information: None | str | Unset
        if isinstance(self.additional_information, Unset):
            additional_information = UNSET
        else:
            additional_information = self.additional_information

        failure_reason_code: None | str | Unset
        if isinstance(self.failure_reason_code, Unset):
            failure_reason_code = UNSET
        else:
            failure_reason_code = self.failure_reason_code

        receiving_ip: None | str | Unset
        if isinstance(self.receiving_ip, Unset):
            receiving_ip = UNSET
        else:
            receiving_ip = self.receiving_ip

        receiving_mx_helo: None | str | Unset
        if isinstance(self.receiving_mx_helo, Unset):
            receiving_mx_helo = UNSET
        else:
            receiving_mx_helo = self.receiving_mx_helo

        receiving_mx_hostname: None | str | Unset
        if isinstance(self.receiving_mx_hostname, Unset):
            receiving_mx_hostname = UNSET
        else:
            receiving_mx_hostname = self.receiving_mx_hostname

        sending_mta_ip: None | str | Unset
        if isinstance(self.sending_mta_ip, Unset):
            sending_mta_ip = UNSET
        else:
            sending_mta_ip = self.sending_mta_ip

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failed_session_count": failed_session_count,
                "result_type": result_type,
            }
        )
        if additional_information is not UNSET:
            field_dict["additional_information"] = additional_information
        if failure_reason_code is not UNSET:
            field_dict["failure_reason_code"] = failure_reason_code
        if receiving_ip is not UNSET:
            field_dict["receiving_ip"] = receiving_ip
        if receiving_mx_helo is not UNSET:
            field_dict["receiving_mx_helo"] = receiving_mx_helo
        if receiving_mx_hostname is not UNSET:
            field_dict["receiving_mx_hostname"] = receiving_mx_hostname
        if sending_mta_ip is not UNSET:
            field_dict["sending_mta_ip"] = sending_mta_ip

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failed_session_count = d.pop("failed_session_count")

        result_type = d.pop("result_type")

        def _parse_additional_information(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        additional_information = _parse_additional_information(
            d.pop("additional_information", UNSET)
        )

        def _parse_failure_reason_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_reason_code = _parse_failure_reason_code(
            d.pop("failure_reason_code", UNSET)
        )

        def _parse_receiving_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        receiving_ip = _parse_receiving_ip(d.pop("receiving_ip", UNSET))

        def _parse_receiving_mx_helo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        receiving_mx_helo = _parse_receiving_mx_helo(d.pop("receiving_mx_helo", UNSET))

        def _parse_receiving_mx_hostname(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        receiving_mx_hostname = _parse_receiving_mx_hostname(
            d.pop("receiving_mx_hostname", UNSET)
        )

        def _parse_sending_mta_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sending_mta_ip = _parse_sending_mta_ip(d.pop("sending_mta_ip", UNSET))

        tls_failure_detail = cls(
            failed_session_count=failed_session_count,
            result_type=result_type,
            additional_information=additional_information,
            failure_reason_code=failure_reason_code,
            receiving_ip=receiving_ip,
            receiving_mx_helo=receiving_mx_helo,
            receiving_mx_hostname=receiving_mx_hostname,
            sending_mta_ip=sending_mta_ip,
        )

        tls_failure_detail.additional_properties = d
        return tls_failure_detail

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
