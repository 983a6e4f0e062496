from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dkim_auth import DkimAuth
    from ..models.spf_auth import SpfAuth


T = TypeVar("T", bound="AuthResults")


@_attrs_define
class AuthResults:
    """`auth_results`.

    Attributes:
        dkim (list[DkimAuth] | Unset):
        spf (list[SpfAuth] | Unset):
    """

    dkim: list[DkimAuth] | Unset = UNSET
    spf: list[SpfAuth] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dkim: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.dkim, Unset):
            dkim = []
            for dkim_item_data in self.dkim:
                dkim_item = dkim_item_data.to_dict()
                dkim.append(dkim_item)

        spf: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.spf, Unset):
            spf = []
            for spf_item_data in self.spf:
                spf_item = spf_item_data.to_dict()
                spf.append(spf_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if dkim is not UNSET:
            field_dict["dkim"] = dkim
        if spf is not UNSET:
            field_dict["spf"] = spf

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dkim_auth import DkimAuth
        from ..models.spf_auth import SpfAuth

        d = dict(src_dict)
        _dkim = d.pop("dkim", UNSET)
        dkim: list[DkimAuth] | Unset = UNSET
        if _dkim is not UNSET:
            dkim = []
            for dkim_item_data in _dkim:
                dkim_item = DkimAuth.from_dict(dkim_item_data)

                dkim.append(dkim_item)

        _spf = d.pop("spf", UNSET)
        spf: list[SpfAuth] | Unset = UNSET
        if _spf is not UNSET:
            spf = []
            for spf_item_data in _spf:
                spf_item = SpfAuth.from_dict(spf_item_data)

                spf.append(spf_item)

        auth_results = cls(
            dkim=dkim,
            spf=spf,
        )

        auth_results.additional_properties = d
        return auth_results

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
