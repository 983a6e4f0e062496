from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.service_match import ServiceMatch


T = TypeVar("T", bound="DmarcServiceResponse")


@_attrs_define
class DmarcServiceResponse:
    """One group of sources by sending service.

    Attributes:
        dmarc_fail_messages (int):
        dmarc_pass_messages (int):
        group (str): How the group was formed: `service` (a named service), `organization` (confirmed PTR
            names of one organizational domain that the service table does not know),
            `unconfirmed` (no PTR name resolves back to the address) or `pending` (not looked up
            yet). Example: service.
        messages (int):
        sources (int): Distinct source addresses.
        org_domain (None | str | Unset): Organizational domain of the confirmed PTR names (`organization` groups).
        service (None | ServiceMatch | Unset):
    """

    dmarc_fail_messages: int
    dmarc_pass_messages: int
    group: str
    messages: int
    sources: int
    org_domain: None | str | Unset = UNSET
    service: None | ServiceMatch | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.service_match import ServiceMatch

        dmarc_fail_messages = self.dmarc_fail_messages

        dmarc_pass_messages = self.dmarc_pass_messages

        group = self.group

        messages = self.messages

        sources = self.sources

        org_domain: None | str | Unset
        if isinstance(self.org_domain, Unset):
            org_domain = UNSET
        else:
            org_domain = self.org_domain

        service: dict[str, Any] | None | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        elif isinstance(self.service, ServiceMatch):
            service = self.service.to_dict()
        else:
            service = self.service

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dmarc_fail_messages": dmarc_fail_messages,
                "dmarc_pass_messages": dmarc_pass_messages,
                "group": group,
                "messages": messages,
                "sources": sources,
            }
        )
        if org_domain is not UNSET:
            field_dict["org_domain"] = org_domain
        if service is not UNSET:
            field_dict["service"] = service

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.service_match import ServiceMatch

        d = dict(src_dict)
        dmarc_fail_messages = d.pop("dmarc_fail_messages")

        dmarc_pass_messages = d.pop("dmarc_pass_messages")

        group = d.pop("group")

        messages = d.pop("messages")

        sources = d.pop("sources")

        def _parse_org_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        org_domain = _parse_org_domain(d.pop("org_domain", UNSET))

        def _parse_service(data: object) -> None | ServiceMatch | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                service_type_0 = ServiceMatch.from_dict(data)

                return service_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceMatch | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        dmarc_service_response = cls(
            dmarc_fail_messages=dmarc_fail_messages,
            dmarc_pass_messages=dmarc_pass_messages,
            group=group,
            messages=messages,
            sources=sources,
            org_domain=org_domain,
            service=service,
        )

        dmarc_service_response.additional_properties = d
        return dmarc_service_response

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
