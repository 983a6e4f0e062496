from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Identifiers")


@_attrs_define
class Identifiers:
    """`identifiers` (`identities` in the draft schema).

    Attributes:
        envelope_from (None | str | Unset):
        envelope_to (None | str | Unset):
        header_from (None | str | Unset):
    """

    envelope_from: None | str | Unset = UNSET
    envelope_to: None | str | Unset = UNSET
    header_from: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        envelope_from: None | str | Unset
        if isinstance(self.envelope_from, Unset):
            envelope_from = UNSET
        else:
            envelope_from = self.envelope_from

        envelope_to: None | str | Unset
        if isinstance(self.envelope_to, Unset):
            envelope_to = UNSET
        else:
            envelope_to = self.envelope_to

        header_from: None | str | Unset
        if isinstance(self.header_from, Unset):
            header_from = UNSET
        else:
            header_from = self.header_from

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if envelope_from is not UNSET:
            field_dict["envelope_from"] = envelope_from
        if envelope_to is not UNSET:
            field_dict["envelope_to"] = envelope_to
        if header_from is not UNSET:
            field_dict["header_from"] = header_from

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_envelope_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        envelope_from = _parse_envelope_from(d.pop("envelope_from", UNSET))

        def _parse_envelope_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        envelope_to = _parse_envelope_to(d.pop("envelope_to", UNSET))

        def _parse_header_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        header_from = _parse_header_from(d.pop("header_from", UNSET))

        identifiers = cls(
            envelope_from=envelope_from,
            envelope_to=envelope_to,
            header_from=header_from,
        )

        identifiers.additional_properties = d
        return identifiers

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
