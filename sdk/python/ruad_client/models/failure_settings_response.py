from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.failure_privacy import FailurePrivacy

T = TypeVar("T", bound="FailureSettingsResponse")


@_attrs_define
class FailureSettingsResponse:
    """A tenant's failure report settings.

    Attributes:
        failure_report_privacy (FailurePrivacy): How much of a failure report a tenant keeps (its
            `failure_report_privacy` setting).
        tenant_id (str):
    """

    failure_report_privacy: FailurePrivacy
    tenant_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failure_report_privacy = self.failure_report_privacy.value

        tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failure_report_privacy": failure_report_privacy,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failure_report_privacy = FailurePrivacy(d.pop("failure_report_privacy"))

        tenant_id = d.pop("tenant_id")

        failure_settings_response = cls(
            failure_report_privacy=failure_report_privacy,
            tenant_id=tenant_id,
        )

        failure_settings_response.additional_properties = d
        return failure_settings_response

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
