from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateIntakeRequest")


@_attrs_define
class UpdateIntakeRequest:
    """`PATCH /intake` body.

    Attributes:
        auto_register_domains (bool | None | Unset): `true` or `false` sets the tenant's own value; `null` inherits its
            parent's (false at
            the root). Absent: unchanged.
    """

    auto_register_domains: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        auto_register_domains: bool | None | Unset
        if isinstance(self.auto_register_domains, Unset):
            auto_register_domains = UNSET
        else:
            auto_register_domains = self.auto_register_domains

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if auto_register_domains is not UNSET:
            field_dict["auto_register_domains"] = auto_register_domains

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_auto_register_domains(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        auto_register_domains = _parse_auto_register_domains(
            d.pop("auto_register_domains", UNSET)
        )

        update_intake_request = cls(
            auto_register_domains=auto_register_domains,
        )

        return update_intake_request
