from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tls_failure_path_response import TlsFailurePathResponse
    from ..models.tls_organization_response import TlsOrganizationResponse


T = TypeVar("T", bound="TlsBySourceResponse")


@_attrs_define
class TlsBySourceResponse:
    """
    Attributes:
        domain (str):
        failures (list[TlsFailurePathResponse]): Failures per sending MTA IP, receiving MX and result type, largest
            first.
        from_ (str):
        organizations (list[TlsOrganizationResponse]): Per reporting organization.
        to (str):
        total_failures (int): Distinct failure paths in the range (the list holds at most `limit`).
    """

    domain: str
    failures: list[TlsFailurePathResponse]
    from_: str
    organizations: list[TlsOrganizationResponse]
    to: str
    total_failures: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        failures = []
        for failures_item_data in self.failures:
            failures_item = failures_item_data.to_dict()
            failures.append(failures_item)

        from_ = self.from_

        organizations = []
        for organizations_item_data in self.organizations:
            organizations_item = organizations_item_data.to_dict()
            organizations.append(organizations_item)

        to = self.to

        total_failures = self.total_failures

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "domain": domain,
                "failures": failures,
                "from": from_,
                "organizations": organizations,
                "to": to,
                "total_failures": total_failures,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tls_failure_path_response import TlsFailurePathResponse
        from ..models.tls_organization_response import TlsOrganizationResponse

        d = dict(src_dict)
        domain = d.pop("domain")

        failures = []
        _failures = d.pop("failures")
        for failures_item_data in _failures:
            failures_item = TlsFailurePathResponse.from_dict(failures_item_data)

            failures.append(failures_item)

        from_ = d.pop("from")

        organizations = []
        _organizations = d.pop("organizations")
        for organizations_item_data in _organizations:
            organizations_item = TlsOrganizationResponse.from_dict(
                organizations_item_data
            )

            organizations.append(organizations_item)

        to = d.pop("to")

        total_failures = d.pop("total_failures")

        tls_by_source_response = cls(
            domain=domain,
            failures=failures,
            from_=from_,
            organizations=organizations,
            to=to,
            total_failures=total_failures,
        )

        tls_by_source_response.additional_properties = d
        return tls_by_source_response

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
