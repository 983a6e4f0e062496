from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event import Event

T = TypeVar("T", bound="WebhookResponse")


@_attrs_define
class WebhookResponse:
    """A webhook (without its secret).

    Attributes:
        created_at (int): Unix time of creation.
        description (str):
        enabled (bool): A disabled webhook gets no new deliveries, and its pending ones are marked failed.
        events (list[Event]): The events delivered.
        id (str):
        tenant_id (str): Owning tenant; the webhook gets the events of this tenant and of its descendants.
        updated_at (int): Unix time of the last change (including a secret rotation).
        url (str): Where deliveries are POSTed. Example: https://hooks.example.com/ruad.
    """

    created_at: int
    description: str
    enabled: bool
    events: list[Event]
    id: str
    tenant_id: str
    updated_at: int
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        description = self.description

        enabled = self.enabled

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.value
            events.append(events_item)

        id = self.id

        tenant_id = self.tenant_id

        updated_at = self.updated_at

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "description": description,
                "enabled": enabled,
                "events": events,
                "id": id,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        description = d.pop("description")

        enabled = d.pop("enabled")

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = Event(events_item_data)

            events.append(events_item)

        id = d.pop("id")

        tenant_id = d.pop("tenant_id")

        updated_at = d.pop("updated_at")

        url = d.pop("url")

        webhook_response = cls(
            created_at=created_at,
            description=description,
            enabled=enabled,
            events=events,
            id=id,
            tenant_id=tenant_id,
            updated_at=updated_at,
            url=url,
        )

        webhook_response.additional_properties = d
        return webhook_response

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
