from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BimiInput")


@_attrs_define
class BimiInput:
    """What the BIMI record should point to.

    Attributes:
        domain (str): Domain the logo is for (A-label form). Example: example.com.
        authority_url (None | str | Unset): HTTPS URL of the PEM evidence document (VMC or CMC).
        logo_url (None | str | Unset): HTTPS URL of the SVG Tiny PS logo. Leave out (with authority_url) to publish a
            declination record.
        selector (str | Unset): Selector (default `default`, the one receivers look up without a BIMI-Selector header).
            Default: 'default'.
    """

    domain: str
    authority_url: None | str | Unset = UNSET
    logo_url: None | str | Unset = UNSET
    selector: str | Unset = "default"

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        authority_url: None | str | Unset
        if isinstance(self.authority_url, Unset):
            authority_url = UNSET
        else:
            authority_url = self.authority_url

        logo_url: None | str | Unset
        if isinstance(self.logo_url, Unset):
            logo_url = UNSET
        else:
            logo_url = self.logo_url

        selector = self.selector

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "domain": domain,
            }
        )
        if authority_url is not UNSET:
            field_dict["authority_url"] = authority_url
        if logo_url is not UNSET:
            field_dict["logo_url"] = logo_url
        if selector is not UNSET:
            field_dict["selector"] = selector

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domain = d.pop("domain")

        def _parse_authority_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        authority_url = _parse_authority_url(d.pop("authority_url", UNSET))

        def _parse_logo_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo_url = _parse_logo_url(d.pop("logo_url", UNSET))

        selector = d.pop("selector", UNSET)

        bimi_input = cls(
            domain=domain,
            authority_url=authority_url,
            logo_url=logo_url,
            selector=selector,
        )

        return bimi_input
