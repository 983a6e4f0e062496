from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FailureReportReceived")


@_attrs_define
class FailureReportReceived:
    """The `data` of a `failure_report.received` event: the stored failure report's summary, as
    `GET /domains/{domain}/failures` lists it (nothing the tenant's privacy setting removes).

        Attributes:
            arrival (int): When the failing message arrived (Unix time).
            auth_failures (list[str]): What failed (`Auth-Failure`: `dmarc`, `dkim`, `spf`, …).
            domain (str): The registered domain the report was filed under. Example: example.com.
            domain_id (str):
            failure_id (str): ruad's id of the stored failure report (`GET /domains/{domain}/failures/{id}`).
            incidents (int): Messages the report stands for (`Incidents`, at least 1).
            policy_domain (str): The domain the report is about (`Reported-Domain`, else the original From domain).
            source_ip (None | str | Unset): The address that sent the failing message, when the report gives it.
    """

    arrival: int
    auth_failures: list[str]
    domain: str
    domain_id: str
    failure_id: str
    incidents: int
    policy_domain: str
    source_ip: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        arrival = self.arrival

        auth_failures = self.auth_failures

        domain = self.domain

        domain_id = self.domain_id

        failure_id = self.failure_id

        incidents = self.incidents

        policy_domain = self.policy_domain

        source_ip: None | str | Unset
        if isinstance(self.source_ip, Unset):
            source_ip = UNSET
        else:
            source_ip = self.source_ip

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "arrival": arrival,
                "auth_failures": auth_failures,
                "domain": domain,
                "domain_id": domain_id,
                "failure_id": failure_id,
                "incidents": incidents,
                "policy_domain": policy_domain,
            }
        )
        if source_ip is not UNSET:
            field_dict["source_ip"] = source_ip

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        arrival = d.pop("arrival")

        auth_failures = cast(list[str], d.pop("auth_failures"))

        domain = d.pop("domain")

        domain_id = d.pop("domain_id")

        failure_id = d.pop("failure_id")

        incidents = d.pop("incidents")

        policy_domain = d.pop("policy_domain")

        def _parse_source_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_ip = _parse_source_ip(d.pop("source_ip", UNSET))

        failure_report_received = cls(
            arrival=arrival,
            auth_failures=auth_failures,
            domain=domain,
            domain_id=domain_id,
            failure_id=failure_id,
            incidents=incidents,
            policy_domain=policy_domain,
            source_ip=source_ip,
        )

        failure_report_received.additional_properties = d
        return failure_report_received

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
