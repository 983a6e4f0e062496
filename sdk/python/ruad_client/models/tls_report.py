from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tls_date_range import TlsDateRange
    from ..models.tls_policy_result import TlsPolicyResult
    from ..models.tls_report_extensions import TlsReportExtensions


T = TypeVar("T", bound="TlsReport")


@_attrs_define
class TlsReport:
    """An SMTP TLS report (RFC 8460 §4).

    Attributes:
        date_range (TlsDateRange): RFC 8460 `date-range`, with the strings as sent and their epoch seconds.
        organization_name (str):
        policies (list[TlsPolicyResult]):
        report_id (str):
        contact_info (None | str | Unset):
        extensions (TlsReportExtensions | Unset): Top-level fields the RFC does not define, kept verbatim.
    """

    date_range: TlsDateRange
    organization_name: str
    policies: list[TlsPolicyResult]
    report_id: str
    contact_info: None | str | Unset = UNSET
    extensions: TlsReportExtensions | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date_range = self.date_range.to_dict()

        organization_name = self.organization_name

        policies = []
        for policies_item_data in self.policies:
            policies_item = policies_item_data.to_dict()
            policies.append(policies_item)

        report_id = self.report_id

        contact_info: None | str | Unset
        if isinstance(self.contact_info, Unset):
            contact_info = UNSET
        else:
            contact_info = self.contact_info

        extensions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extensions, Unset):
            extensions = self.extensions.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date_range": date_range,
                "organization_name": organization_name,
                "policies": policies,
                "report_id": report_id,
            }
        )
        if contact_info is not UNSET:
            field_dict["contact_info"] = contact_info
        if extensions is not UNSET:
            field_dict["extensions"] = extensions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tls_date_range import TlsDateRange
        from ..models.tls_policy_result import TlsPolicyResult
        from ..models.tls_report_extensions import TlsReportExtensions

        d = dict(src_dict)
        date_range = TlsDateRange.from_dict(d.pop("date_range"))

        organization_name = d.pop("organization_name")

        policies = []
        _policies = d.pop("policies")
        for policies_item_data in _policies:
            policies_item = TlsPolicyResult.from_dict(policies_item_data)

            policies.append(policies_item)

        report_id = d.pop("report_id")

        def _parse_contact_info(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_info = _parse_contact_info(d.pop("contact_info", UNSET))

        _extensions = d.pop("extensions", UNSET)
        extensions: TlsReportExtensions | Unset
        if isinstance(_extensions, Unset):
            extensions = UNSET
        else:
            extensions = TlsReportExtensions.from_dict(_extensions)

        tls_report = cls(
            date_range=date_range,
            organization_name=organization_name,
            policies=policies,
            report_id=report_id,
            contact_info=contact_info,
            extensions=extensions,
        )

        tls_report.additional_properties = d
        return tls_report

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
