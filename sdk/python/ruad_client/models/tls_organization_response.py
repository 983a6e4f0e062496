from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TlsOrganizationResponse")


@_attrs_define
class TlsOrganizationResponse:
    """Sessions reported by one organization.

    Attributes:
        failed_sessions (int):
        organization (str):
        successful_sessions (int):
    """

    failed_sessions: int
    organization: str
    successful_sessions: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failed_sessions = self.failed_sessions

        organization = self.organization

        successful_sessions = self.successful_sessions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failed_sessions": failed_sessions,
                "organization": organization,
                "successful_sessions": successful_sessions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failed_sessions = d.pop("failed_sessions")

        organization = d.pop("organization")

        successful_sessions = d.pop("successful_sessions")

        tls_organization_response = cls(
            failed_sessions=failed_sessions,
            organization=organization,
            successful_sessions=successful_sessions,
        )

        tls_organization_response.additional_properties = d
        return tls_organization_response

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
