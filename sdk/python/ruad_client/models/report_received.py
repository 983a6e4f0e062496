from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReportReceived")


@_attrs_define
class ReportReceived:
    """The `data` of a `report.received` event: the stored report, as `GET /reports/{report_id}`
    summarizes it.

        Attributes:
            begin (int): Start of the reported range (Unix time).
            conflict (bool): Another version with the same key and other content was stored before; this one
                supersedes it.
            domain (str): The registered domain the report was filed under. Example: example.com.
            domain_id (str):
            end (int): End of the reported range (Unix time).
            external_id (str): The reporter's own report id.
            kind (str): `dmarc_aggregate` or `tls_report`. Example: dmarc_aggregate.
            messages (int): DMARC messages, or TLS sessions.
            org_name (str): Reporting organization, as sent. Example: google.com.
            policy_domain (str): Policy domain named in the report.
            records (int): DMARC records, or TLS policies.
            report_id (str): ruad's id of the stored report.
    """

    begin: int
    conflict: bool
    domain: str
    domain_id: str
    end: int
    external_id: str
    kind: str
    messages: int
    org_name: str
    policy_domain: str
    records: int
    report_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        begin = self.begin

        conflict = self.conflict

        domain = self.domain

        domain_id = self.domain_id

        end = self.end

        external_id = self.external_id

        kind = self.kind

        messages = self.messages

        org_name = self.org_name

        policy_domain = self.policy_domain

        records = self.records

        report_id = self.report_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "begin": begin,
                "conflict": conflict,
                "domain": domain,
                "domain_id": domain_id,
                "end": end,
                "external_id": external_id,
                "kind": kind,
                "messages": messages,
                "org_name": org_name,
                "policy_domain": policy_domain,
                "records": records,
                "report_id": report_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        begin = d.pop("begin")

        conflict = d.pop("conflict")

        domain = d.pop("domain")

        domain_id = d.pop("domain_id")

        end = d.pop("end")

        external_id = d.pop("external_id")

        kind = d.pop("kind")

        messages = d.pop("messages")

        org_name = d.pop("org_name")

        policy_domain = d.pop("policy_domain")

        records = d.pop("records")

        report_id = d.pop("report_id")

        report_received = cls(
            begin=begin,
            conflict=conflict,
            domain=domain,
            domain_id=domain_id,
            end=end,
            external_id=external_id,
            kind=kind,
            messages=messages,
            org_name=org_name,
            policy_domain=policy_domain,
            records=records,
            report_id=report_id,
        )

        report_received.additional_properties = d
        return report_received

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
