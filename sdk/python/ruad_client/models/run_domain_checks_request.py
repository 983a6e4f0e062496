from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RunDomainChecksRequest")


@_attrs_define
class RunDomainChecksRequest:
    """Which checks to run on a registered domain.

    Attributes:
        bimi_selector (None | str | Unset): BIMI selector (default `default`).
        dkim_selectors (list[str] | Unset): DKIM selectors to check (none: DKIM is not checked).
    """

    bimi_selector: None | str | Unset = UNSET
    dkim_selectors: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        bimi_selector: None | str | Unset
        if isinstance(self.bimi_selector, Unset):
            bimi_selector = UNSET
        else:
            bimi_selector = self.bimi_selector

        dkim_selectors: list[str] | Unset = UNSET
        if not isinstance(self.dkim_selectors, Unset):
            dkim_selectors = self.dkim_selectors

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if bimi_selector is not UNSET:
            field_dict["bimi_selector"] = bimi_selector
        if dkim_selectors is not UNSET:
            field_dict["dkim_selectors"] = dkim_selectors

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_bimi_selector(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bimi_selector = _parse_bimi_selector(d.pop("bimi_selector", UNSET))

        dkim_selectors = cast(list[str], d.pop("dkim_selectors", UNSET))

        run_domain_checks_request = cls(
            bimi_selector=bimi_selector,
            dkim_selectors=dkim_selectors,
        )

        return run_domain_checks_request
