from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.auth_results import AuthResults
    from ..models.identifiers import Identifiers
    from ..models.policy_evaluated import PolicyEvaluated
    from ..models.xml_element import XmlElement


T = TypeVar("T", bound="RecordItem")


@_attrs_define
class RecordItem:
    """One DMARC record with the report it came in.

    Attributes:
        auth_results (AuthResults): `auth_results`.
        count (int):
        identifiers (Identifiers): `identifiers` (`identities` in the draft schema).
        policy_evaluated (PolicyEvaluated): `row/policy_evaluated`.
        source_ip (str):  Example: 192.0.2.1.
        begin (int): The report's period (Unix time).
        end (int):
        org_name (str): The reporting organization.
        report_id (str): The stored report.
        seq (int): The record's place in its report, from 1.
        extensions (list[XmlElement] | Unset):
    """

    auth_results: AuthResults
    count: int
    identifiers: Identifiers
    policy_evaluated: PolicyEvaluated
    source_ip: str
    begin: int
    end: int
    org_name: str
    report_id: str
    seq: int
    extensions: list[XmlElement] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auth_results = self.auth_results.to_dict()

        count = self.count

        identifiers = self.identifiers.to_dict()

        policy_evaluated = self.policy_evaluated.to_dict()

        source_ip = self.source_ip

        begin = self.begin

        end = self.end

        org_name = self.org_name

        report_id = self.report_id

        seq = self.seq

        extensions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.extensions, Unset):
            extensions = []
            for extensions_item_data in self.extensions:
                extensions_item = extensions_item_data.to_dict()
                extensions.append(extensions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "auth_results": auth_results,
                "count": count,
                "identifiers": identifiers,
                "policy_evaluated": policy_evaluated,
                "source_ip": source_ip,
                "begin": begin,
                "end": end,
                "org_name": org_name,
                "report_id": report_id,
                "seq": seq,
            }
        )
        if extensions is not UNSET:
            field_dict["extensions"] = extensions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.auth_results import AuthResults
        from ..models.identifiers import Identifiers
        from ..models.policy_evaluated import PolicyEvaluated
        from ..models.xml_element import XmlElement

        d = dict(src_dict)
        auth_results = AuthResults.from_dict(d.pop("auth_results"))

        count = d.pop("count")

        identifiers = Identifiers.from_dict(d.pop("identifiers"))

        policy_evaluated = PolicyEvaluated.from_dict(d.pop("policy_evaluated"))

        source_ip = d.pop("source_ip")

        begin = d.pop("begin")

        end = d.pop("end")

        org_name = d.pop("org_name")

        report_id = d.pop("report_id")

        seq = d.pop("seq")

        _extensions = d.pop("extensions", UNSET)
        extensions: list[XmlElement] | Unset = UNSET
        if _extensions is not UNSET:
            extensions = []
            for extensions_item_data in _extensions:
                extensions_item = XmlElement.from_dict(extensions_item_data)

                extensions.append(extensions_item)

        record_item = cls(
            auth_results=auth_results,
            count=count,
            identifiers=identifiers,
            policy_evaluated=policy_evaluated,
            source_ip=source_ip,
            begin=begin,
            end=end,
            org_name=org_name,
            report_id=report_id,
            seq=seq,
            extensions=extensions,
        )

        record_item.additional_properties = d
        return record_item

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
