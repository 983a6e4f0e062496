from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReverseDnsResponse")


@_attrs_define
class ReverseDnsResponse:
    """Reverse DNS of a source address.

    Attributes:
        checked_at (int): When the names were looked up (epoch seconds).
        unconfirmed_names (list[str]): PTR names that do not resolve back to the address: anyone controlling the reverse
            zone can set these, so they are shown, never trusted.
        confirmed_name (None | str | Unset): The first PTR name that resolves back to the address (FCrDNS), if any.
            Example: mail-sor-f41.google.com.
        lookup_error (None | str | Unset): Why the lookup failed, when it did (retried later).
        org_domain (None | str | Unset): Organizational domain of the confirmed name. Example: google.com.
    """

    checked_at: int
    unconfirmed_names: list[str]
    confirmed_name: None | str | Unset = UNSET
    lookup_error: None | str | Unset = UNSET
    org_domain: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checked_at = self.checked_at

        unconfirmed_names = self.unconfirmed_names

        confirmed_name: None | str | Unset
        if isinstance(self.confirmed_name, Unset):
            confirmed_name = UNSET
        else:
            confirmed_name = self.confirmed_name

        lookup_error: None | str | Unset
        if isinstance(self.lookup_error, Unset):
            lookup_error = UNSET
        else:
            lookup_error = self.lookup_error

        org_domain: None | str | Unset
        if isinstance(self.org_domain, Unset):
            org_domain = UNSET
        else:
            org_domain = self.org_domain

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checked_at": checked_at,
                "unconfirmed_names": unconfirmed_names,
            }
        )
        if confirmed_name is not UNSET:
            field_dict["confirmed_name"] = confirmed_name
        if lookup_error is not UNSET:
            field_dict["lookup_error"] = lookup_error
        if org_domain is not UNSET:
            field_dict["org_domain"] = org_domain

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        checked_at = d.pop("checked_at")

        unconfirmed_names = cast(list[str], d.pop("unconfirmed_names"))

        def _parse_confirmed_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        confirmed_name = _parse_confirmed_name(d.pop("confirmed_name", UNSET))

        def _parse_lookup_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lookup_error = _parse_lookup_error(d.pop("lookup_error", UNSET))

        def _parse_org_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        org_domain = _parse_org_domain(d.pop("org_domain", UNSET))

        reverse_dns_response = cls(
            checked_at=checked_at,
            unconfirmed_names=unconfirmed_names,
            confirmed_name=confirmed_name,
            lookup_error=lookup_error,
            org_domain=org_domain,
        )

        reverse_dns_response.additional_properties = d
        return reverse_dns_response

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
