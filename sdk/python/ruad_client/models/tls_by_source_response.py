from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tls_failure_path_response import TlsFailurePathResponse
    from ..models.tls_organization_response import TlsOrganizationResponse


T = TypeVar("T", bound="TlsBySourceResponse")


@_attrs_define
class TlsBySourceResponse:
    """
    Attributes:
        domain (str):
        failures (list[TlsFailurePathResponse]): A page of failures per sending MTA IP, receiving MX and result type:
            most failed
            sessions first, then by address, MX and result type (`limit`, default 100).
        from_ (str):
        organizations (list[TlsOrganizationResponse]): Per reporting organization.
        to (str):
        total_failures (int): Distinct failure paths in the range (in all pages).
        next_cursor (None | str | Unset): Pass as `cursor` for the next page of failures; `null` on the last page.
    """

    domain: str
    failures: list[TlsFailurePathResponse]
    from_: str
    organizations: list[TlsOrganizationResponse]
    to: str
    total_failures: int
    next_cursor: None | str | Unset = UNSET
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

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

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
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

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

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        tls_by_source_response = cls(
            domain=domain,
            failures=failures,
            from_=from_,
            organizations=organizations,
            to=to,
            total_failures=total_failures,
            next_cursor=next_cursor,
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
