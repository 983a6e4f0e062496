from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.date_range import DateRange


T = TypeVar("T", bound="ReportMetadata")


@_attrs_define
class ReportMetadata:
    """`report_metadata`.

    Attributes:
        date_range (DateRange): `date_range` of a report, in UTC epoch seconds.
        org_name (str): The reporter's own name, as sent (falls back to the domain of `email` when absent).
        report_id (str):
        email (None | str | Unset):
        errors (list[str] | Unset): Errors the reporter declared while generating the report.
        extra_contact_info (None | str | Unset):
        generator (None | str | Unset): RFC 9990 `generator`.
    """

    date_range: DateRange
    org_name: str
    report_id: str
    email: None | str | Unset = UNSET
    errors: list[str] | Unset = UNSET
    extra_contact_info: None | str | Unset = UNSET
    generator: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date_range = self.date_range.to_dict()

        org_name = self.org_name

        report_id = self.report_id

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        errors: list[str] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors

        extra_contact_info: None | str | Unset
        if isinstance(self.extra_contact_info, Unset):
            extra_contact_info = UNSET
        else:
            extra_contact_info = self.extra_contact_info

        generator: None | str | Unset
        if isinstance(self.generator, Unset):
            generator = UNSET
        else:
            generator = self.generator

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date_range": date_range,
                "org_name": org_name,
                "report_id": report_id,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if errors is not UNSET:
            field_dict["errors"] = errors
        if extra_contact_info is not UNSET:
            field_dict["extra_contact_info"] = extra_contact_info
        if generator is not UNSET:
            field_dict["generator"] = generator

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.date_range import DateRange

        d = dict(src_dict)
        date_range = DateRange.from_dict(d.pop("date_range"))

        org_name = d.pop("org_name")

        report_id = d.pop("report_id")

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        errors = cast(list[str], d.pop("errors", UNSET))

        def _parse_extra_contact_info(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        extra_contact_info = _parse_extra_contact_info(
            d.pop("extra_contact_info", UNSET)
        )

        def _parse_generator(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        generator = _parse_generator(d.pop("generator", UNSET))

        report_metadata = cls(
            date_range=date_range,
            org_name=org_name,
            report_id=report_id,
            email=email,
            errors=errors,
            extra_contact_info=extra_contact_info,
            generator=generator,
        )

        report_metadata.additional_properties = d
        return report_metadata

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
