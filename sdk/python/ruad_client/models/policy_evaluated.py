from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.override_reason import OverrideReason


T = TypeVar("T", bound="PolicyEvaluated")


@_attrs_define
class PolicyEvaluated:
    """`row/policy_evaluated`.

    Attributes:
        disposition (None | str | Unset):
        dkim (None | str | Unset):
        reasons (list[OverrideReason] | Unset):
        spf (None | str | Unset):
    """

    disposition: None | str | Unset = UNSET
    dkim: None | str | Unset = UNSET
    reasons: list[OverrideReason] | Unset = UNSET
    spf: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        disposition: None | str | Unset
        if isinstance(self.disposition, Unset):
            disposition = UNSET
        else:
            disposition = self.disposition

        dkim: None | str | Unset
        if isinstance(self.dkim, Unset):
            dkim = UNSET
        else:
            dkim = self.dkim

        reasons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.reasons, Unset):
            reasons = []
            for reasons_item_data in self.reasons:
                reasons_item = reasons_item_data.to_dict()
                reasons.append(reasons_item)

        spf: None | str | Unset
        if isinstance(self.spf, Unset):
            spf = UNSET
        else:
            spf = self.spf

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if disposition is not UNSET:
            field_dict["disposition"] = disposition
        if dkim is not UNSET:
            field_dict["dkim"] = dkim
        if reasons is not UNSET:
            field_dict["reasons"] = reasons
        if spf is not UNSET:
            field_dict["spf"] = spf

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.override_reason import OverrideReason

        d = dict(src_dict)

        def _parse_disposition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        disposition = _parse_disposition(d.pop("disposition", UNSET))

        def _parse_dkim(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dkim = _parse_dkim(d.pop("dkim", UNSET))

        _reasons = d.pop("reasons", UNSET)
        reasons: list[OverrideReason] | Unset = UNSET
        if _reasons is not UNSET:
            reasons = []
            for reasons_item_data in _reasons:
                reasons_item = OverrideReason.from_dict(reasons_item_data)

                reasons.append(reasons_item)

        def _parse_spf(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        spf = _parse_spf(d.pop("spf", UNSET))

        policy_evaluated = cls(
            disposition=disposition,
            dkim=dkim,
            reasons=reasons,
            spf=spf,
        )

        policy_evaluated.additional_properties = d
        return policy_evaluated

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
