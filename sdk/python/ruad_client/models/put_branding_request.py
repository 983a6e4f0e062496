from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.logo_data import LogoData


T = TypeVar("T", bound="PutBrandingRequest")


@_attrs_define
class PutBrandingRequest:
    """A tenant's own brand. Omitted optional fields are unset (colours and language then take
    ruad's defaults); nothing is merged with an ancestor's brand.

        Attributes:
            display_name (str): The name readers see as the sender of documents and digests (1 to 100 characters). Example:
                Acme Security.
            accent_color (None | str | Unset): `#rrggbb` (or `#rgb`): highlights, the second chart series. Default
                `#e07a1f`. Example: #f1c232.
            footer_text (None | str | Unset): A line at the foot of every page (at most 500 characters). Example: Acme
                Security B.V. · Keizersgracht 1 · Amsterdam.
            language (None | str | Unset): The language of documents and digests: `en` or `nl` (a region such as `nl-BE` is
                accepted and ignored). Default `en`. Example: nl.
            logo (LogoData | None | Unset):
            primary_color (None | str | Unset): `#rrggbb` (or `#rgb`): headings, chart lines, title bar. Default `#1f4e79`.
                Example: #0b5394.
            support_contact (None | str | Unset): Where readers ask for help: an email address or an https URL. Example:
                support@acme.example.
    """

    display_name: str
    accent_color: None | str | Unset = UNSET
    footer_text: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    logo: LogoData | None | Unset = UNSET
    primary_color: None | str | Unset = UNSET
    support_contact: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.logo_data import LogoData

        display_name = self.display_name

        accent_color: None | str | Unset
        if isinstance(self.accent_color, Unset):
            accent_color = UNSET
        else:
            accent_color = self.accent_color

        footer_text: None | str | Unset
        if isinstance(self.footer_text, Unset):
            footer_text = UNSET
        else:
            footer_text = self.footer_text

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        logo: dict[str, Any] | None | Unset
        if isinstance(self.logo, Unset):
            logo = UNSET
        elif isinstance(self.logo, LogoData):
            logo = self.logo.to_dict()
        else:
            logo = self.logo

        primary_color: None | str | Unset
        if isinstance(self.primary_color, Unset):
            primary_color = UNSET
        else:
            primary_color = self.primary_color

        support_contact: None | str | Unset
        if isinstance(self.support_contact, Unset):
            support_contact = UNSET
        else:
            support_contact = self.support_contact

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "display_name": display_name,
            }
        )
        if accent_color is not UNSET:
            field_dict["accent_color"] = accent_color
        if footer_text is not UNSET:
            field_dict["footer_text"] = footer_text
        if language is not UNSET:
            field_dict["language"] = language
        if logo is not UNSET:
            field_dict["logo"] = logo
        if primary_color is not UNSET:
            field_dict["primary_color"] = primary_color
        if support_contact is not UNSET:
            field_dict["support_contact"] = support_contact

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.logo_data import LogoData

        d = dict(src_dict)
        display_name = d.pop("display_name")

        def _parse_accent_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        accent_color = _parse_accent_color(d.pop("accent_color", UNSET))

        def _parse_footer_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        footer_text = _parse_footer_text(d.pop("footer_text", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_logo(data: object) -> LogoData | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                logo_type_0 = LogoData.from_dict(data)

                return logo_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LogoData | None | Unset, data)

        logo = _parse_logo(d.pop("logo", UNSET))

        def _parse_primary_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        primary_color = _parse_primary_color(d.pop("primary_color", UNSET))

        def _parse_support_contact(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        support_contact = _parse_support_contact(d.pop("support_contact", UNSET))

        put_branding_request = cls(
            display_name=display_name,
            accent_color=accent_color,
            footer_text=footer_text,
            language=language,
            logo=logo,
            primary_color=primary_color,
            support_contact=support_contact,
        )

        return put_branding_request
