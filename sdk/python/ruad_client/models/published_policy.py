from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PublishedPolicy")


@_attrs_define
class PublishedPolicy:
    """The policy the domain published, as the newest report of the period says.

    Attributes:
        np (None | str | Unset): `np` (RFC 9990), when published.
        p (None | str | Unset): `p`: none, quarantine or reject (as sent, lower-case).
        sp (None | str | Unset): `sp`, when published.
    """

    np: None | str | Unset = UNSET
    p: None | str | Unset = UNSET
    sp: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        np: None | str | Unset
        if isinstance(self.np, Unset):
            np = UNSET
        else:
            np = self.np

        p: None | str | Unset
        if isinstance(self.p, Unset):
            p = UNSET
        else:
            p = self.p

        sp: None | str | Unset
        if isinstance(self.sp, Unset):
            sp = UNSET
        else:
            sp = self.sp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if np is not UNSET:
            field_dict["np"] = np
        if p is not UNSET:
            field_dict["p"] = p
        if sp is not UNSET:
            field_dict["sp"] = sp

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_np(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        np = _parse_np(d.pop("np", UNSET))

        def _parse_p(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        p = _parse_p(d.pop("p", UNSET))

        def _parse_sp(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sp = _parse_sp(d.pop("sp", UNSET))

        published_policy = cls(
            np=np,
            p=p,
            sp=sp,
        )

        published_policy.additional_properties = d
        return published_policy

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
