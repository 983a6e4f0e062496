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


T = TypeVar("T", bound="DmarcRecord")


@_attrs_define
class DmarcRecord:
    """One `<record>`: messages from one source with one set of results.

    Attributes:
        auth_results (AuthResults): `auth_results`.
        count (int):
        identifiers (Identifiers): `identifiers` (`identities` in the draft schema).
        policy_evaluated (PolicyEvaluated): `row/policy_evaluated`.
        source_ip (str):  Example: 192.0.2.1.
        extensions (list[XmlElement] | Unset):
    """

    auth_results: AuthResults
    count: int
    identifiers: Identifiers
    policy_evaluated: PolicyEvaluated
    source_ip: str
    extensions: list[XmlElement] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auth_results = self.auth_results.to_dict()

        count = self.count

        identifiers = self.identifiers.to_dict()

        policy_evaluated = self.policy_evaluated.to_dict()

        source_ip = self.source_ip

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

        _extensions = d.pop("extensions", UNSET)
        extensions: list[XmlElement] | Unset = UNSET
        if _extensions is not UNSET:
            extensions = []
            for extensions_item_data in _extensions:
                extensions_item = XmlElement.from_dict(extensions_item_data)

                extensions.append(extensions_item)

        dmarc_record = cls(
            auth_results=auth_results,
            count=count,
            identifiers=identifiers,
            policy_evaluated=policy_evaluated,
            source_ip=source_ip,
            extensions=extensions,
        )

        dmarc_record.additional_properties = d
        return dmarc_record

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
