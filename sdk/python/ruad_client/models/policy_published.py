from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alignment import Alignment
from ..types import UNSET, Unset

T = TypeVar("T", bound="PolicyPublished")


@_attrs_define
class PolicyPublished:
    """`policy_published`: the DMARC record the receiver found.

    Attributes:
        domain (str):
        adkim (Alignment | None | Unset):
        aspf (Alignment | None | Unset):
        discovery_method (None | str | Unset): RFC 9990: how the policy was found (`psl` or `treewalk`).
        fo (None | str | Unset):
        np (None | str | Unset):
        p (None | str | Unset):
        pct (None | str | Unset): Kept as sent (RFC 9990 removed `pct`).
        sp (None | str | Unset):
        testing (None | str | Unset): RFC 9990 `t` tag as reported (`y` / `n`).
    """

    domain: str
    adkim: Alignment | None | Unset = UNSET
    aspf: Alignment | None | Unset = UNSET
    discovery_method: None | str | Unset = UNSET
    fo: None | str | Unset = UNSET
    np: None | str | Unset = UNSET
    p: None | str | Unset = UNSET
    pct: None | str | Unset = UNSET
    sp: None | str | Unset = UNSET
    testing: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        adkim: None | str | Unset
        if isinstance(self.adkim, Unset):
            adkim = UNSET
        elif isinstance(self.adkim, Alignment):
            adkim = self.adkim.value
        else:
            adkim = self.adkim

        aspf: None | str | Unset
        if isinstance(self.aspf, Unset):
            aspf = UNSET
        elif isinstance(self.aspf, Alignment):
            aspf = self.aspf.value
        else:
            aspf = self.aspf

        discovery_method: None | str | Unset
        if isinstance(self.discovery_method, Unset):
            discovery_method = UNSET
        else:
            discovery_method = self.discovery_method

        fo: None | str | Unset
        if isinstance(self.fo, Unset):
            fo = UNSET
        else:
            fo = self.fo

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

        pct: None | str | Unset
        if isinstance(self.pct, Unset):
            pct = UNSET
        else:
            pct = self.pct

        sp: None | str | Unset
        if isinstance(self.sp, Unset):
            sp = UNSET
        else:
            sp = self.sp

        testing: None | str | Unset
        if isinstance(self.testing, Unset):
            testing = UNSET
        else:
            testing = self.testing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "domain": domain,
            }
        )
        if adkim is not UNSET:
            field_dict["adkim"] = adkim
        if aspf is not UNSET:
            field_dict["aspf"] = aspf
        if discovery_method is not UNSET:
            field_dict["discovery_method"] = discovery_method
        if fo is not UNSET:
            field_dict["fo"] = fo
        if np is not UNSET:
            field_dict["np"] = np
        if p is not UNSET:
            field_dict["p"] = p
        if pct is not UNSET:
            field_dict["pct"] = pct
        if sp is not UNSET:
            field_dict["sp"] = sp
        if testing is not UNSET:
            field_dict["testing"] = testing

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domain = d.pop("domain")

        def _parse_adkim(data: object) -> Alignment | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                adkim_type_0 = Alignment(data)

                return adkim_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Alignment | None | Unset, data)

        adkim = _parse_adkim(d.pop("adkim", UNSET))

        def _parse_aspf(data: object) -> Alignment | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                aspf_type_0 = Alignment(data)

                return aspf_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Alignment | None | Unset, data)

        aspf = _parse_aspf(d.pop("aspf", UNSET))

        def _parse_discovery_method(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        discovery_method = _parse_discovery_method(d.pop("discovery_method", UNSET))

        def _parse_fo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fo = _parse_fo(d.pop("fo", UNSET))

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

        def _parse_pct(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pct = _parse_pct(d.pop("pct", UNSET))

        def _parse_sp(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sp = _parse_sp(d.pop("sp", UNSET))

        def _parse_testing(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        testing = _parse_testing(d.pop("testing", UNSET))

        policy_published = cls(
            domain=domain,
            adkim=adkim,
            aspf=aspf,
            discovery_method=discovery_method,
            fo=fo,
            np=np,
            p=p,
            pct=pct,
            sp=sp,
            testing=testing,
        )

        policy_published.additional_properties = d
        return policy_published

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
