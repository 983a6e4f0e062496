from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.logo_data import LogoData


T = TypeVar("T", bound="BrandingResponse")


@_attrs_define
class BrandingResponse:
    """A tenant's effective brand: its own, else its nearest branded ancestor's, else ruad's.

    Attributes:
        accent_color (str):  Example: #f1c232.
        display_name (str):
        language (str): `en` or `nl`. Example: nl.
        own (bool): True when the tenant set this brand itself.
        primary_color (str):  Example: #0b5394.
        tenant_id (str): The tenant asked about.
        footer_text (None | str | Unset):
        inherited_from (None | str | Unset): The tenant this brand comes from (the tenant itself when `own`); `null` for
            ruad's
            built-in brand (always present).
        logo (LogoData | None | Unset):
        support_contact (None | str | Unset):
        updated_at (int | None | Unset): Unix time of the last change of this brand; `null` for the built-in one (always
            present).
    """

    accent_color: str
    display_name: str
    language: str
    own: bool
    primary_color: str
    tenant_id: str
    footer_text: None | str | Unset = UNSET
    inherited_from: None | str | Unset = UNSET
    logo: LogoData | None | Unset = UNSET
    support_contact: None | str | Unset = UNSET
    updated_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.logo_data import LogoData

        accent_color = self.accent_color

        display_name = self.display_name

        language = self.language

        own = self.own

        primary_color = self.primary_color

        tenant_id = self.tenant_id

        footer_text: None | str | Unset
        if isinstance(self.footer_text, Unset):
            footer_text = UNSET
        else:
            footer_text = self.footer_text

        inherited_from: None | str | Unset
        if isinstance(self.inherited_from, Unset):
            inherited_from = UNSET
        else:
            inherited_from = self.inherited_from

        logo: dict[str, Any] | None | Unset
        if isinstance(self.logo, Unset):
            logo = UNSET
        elif isinstance(self.logo, LogoData):
            logo = self.logo.to_dict()
        else:
            logo = self.logo

        support_contact: None | str | Unset
        if isinstance(self.support_contact, Unset):
            support_contact = UNSET
        else:
            support_contact = self.support_contact

        updated_at: int | None | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accent_color": accent_color,
                "display_name": display_name,
                "language": language,
                "own": own,
                "primary_color": primary_color,
                "tenant_id": tenant_id,
            }
        )
        if footer_text is not UNSET:
            field_dict["footer_text"] = footer_text
        if inherited_from is not UNSET:
            field_dict["inherited_from"] = inherited_from
        if logo is not UNSET:
            field_dict["logo"] = logo
        if support_contact is not UNSET:
            field_dict["support_contact"] = support_contact
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.logo_data import LogoData

        d = dict(src_dict)
        accent_color = d.pop("accent_color")

        display_name = d.pop("display_name")

        language = d.pop("language")

        own = d.pop("own")

        primary_color = d.pop("primary_color")

        tenant_id = d.pop("tenant_id")

        def _parse_footer_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        footer_text = _parse_footer_text(d.pop("footer_text", UNSET))

        def _parse_inherited_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        inherited_from = _parse_inherited_from(d.pop("inherited_from", UNSET))

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

        def _parse_support_contact(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        support_contact = _parse_support_contact(d.pop("support_contact", UNSET))

        def _parse_updated_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        branding_response = cls(
            accent_color=accent_color,
            display_name=display_name,
            language=language,
            own=own,
            primary_color=primary_color,
            tenant_id=tenant_id,
            footer_text=footer_text,
            inherited_from=inherited_from,
            logo=logo,
            support_contact=support_contact,
            updated_at=updated_at,
        )

        branding_response.additional_properties = d
        return branding_response

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
