from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuthorizationRecord")


@_attrs_define
class AuthorizationRecord:
    """The RFC 7489 §7.1 authorization record: TXT `value` at `name`, published in the mail
    domain's zone by the ruad operator (not by the domain owner). Receivers check it before
    sending a domain's reports to an address in another organizational domain.

        Attributes:
            name (str): The record name for the domain asked about, or the pattern with `{domain}` standing
                for each customer domain. Example: customer.example._report._dmarc.reports.example.net.
            value (str): The TXT value. Example: v=DMARC1.
            wildcard_name (str): One record at this name authorizes every domain at once (a wildcard: the mail domain
                then accepts any domain's reports, which suits a dedicated report domain). Example:
                *._report._dmarc.reports.example.net.
    """

    name: str
    value: str
    wildcard_name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        value = self.value

        wildcard_name = self.wildcard_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "value": value,
                "wildcard_name": wildcard_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        value = d.pop("value")

        wildcard_name = d.pop("wildcard_name")

        authorization_record = cls(
            name=name,
            value=value,
            wildcard_name=wildcard_name,
        )

        authorization_record.additional_properties = d
        return authorization_record

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
