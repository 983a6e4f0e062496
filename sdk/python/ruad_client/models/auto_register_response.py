from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AutoRegisterResponse")


@_attrs_define
class AutoRegisterResponse:
    """Whether reports for domains the tenant has not registered register them.

    Attributes:
        effective (bool): The value in force: the tenant's own, else the nearest ancestor's, else false.
        own (bool | None | Unset): The tenant's own value; `null` inherits.
    """

    effective: bool
    own: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        effective = self.effective

        own: bool | None | Unset
        if isinstance(self.own, Unset):
            own = UNSET
        else:
            own = self.own

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "effective": effective,
            }
        )
        if own is not UNSET:
            field_dict["own"] = own

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        effective = d.pop("effective")

        def _parse_own(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        own = _parse_own(d.pop("own", UNSET))

        auto_register_response = cls(
            effective=effective,
            own=own,
        )

        auto_register_response.additional_properties = d
        return auto_register_response

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
