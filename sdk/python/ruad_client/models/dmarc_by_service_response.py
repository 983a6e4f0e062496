from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.dmarc_service_response import DmarcServiceResponse


T = TypeVar("T", bound="DmarcByServiceResponse")


@_attrs_define
class DmarcByServiceResponse:
    """
    Attributes:
        domain (str):
        from_ (str):
        services (list[DmarcServiceResponse]): Groups by message volume, largest first.
        to (str):
    """

    domain: str
    from_: str
    services: list[DmarcServiceResponse]
    to: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        from_ = self.from_

        services = []
        for services_item_data in self.services:
            services_item = services_item_data.to_dict()
            services.append(services_item)

        to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "domain": domain,
                "from": from_,
                "services": services,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dmarc_service_response import DmarcServiceResponse

        d = dict(src_dict)
        domain = d.pop("domain")

        from_ = d.pop("from")

        services = []
        _services = d.pop("services")
        for services_item_data in _services:
            services_item = DmarcServiceResponse.from_dict(services_item_data)

            services.append(services_item)

        to = d.pop("to")

        dmarc_by_service_response = cls(
            domain=domain,
            from_=from_,
            services=services,
            to=to,
        )

        dmarc_by_service_response.additional_properties = d
        return dmarc_by_service_response

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
