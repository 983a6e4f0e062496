from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.webhook_event_data import WebhookEventData


T = TypeVar("T", bound="WebhookEvent")


@_attrs_define
class WebhookEvent:
    """The body of every webhook request (documentation of what receivers get; not an API
    answer). Signed as described under the `webhooks` tag.

        Attributes:
            created_at (str): When the event happened (RFC 3339, UTC). Example: 2026-11-27T10:00:00Z.
            data (WebhookEventData): Event details: `ReportReceived` for `report.received`, `FailureReportReceived` for
                `failure_report.received`.
            id (str): Event id: the same in every delivery of this event, to every webhook; deduplicate on it.
            tenant_id (str): The tenant the event is about (a descendant of the webhook's tenant, or itself).
            type_ (str): `report.received`, `issue.opened`, `issue.resolved`, or `webhook.test`. Example: report.received.
    """

    created_at: str
    data: WebhookEventData
    id: str
    tenant_id: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        data = self.data.to_dict()

        id = self.id

        tenant_id = self.tenant_id

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "data": data,
                "id": id,
                "tenant_id": tenant_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_event_data import WebhookEventData

        d = dict(src_dict)
        created_at = d.pop("created_at")

        data = WebhookEventData.from_dict(d.pop("data"))

        id = d.pop("id")

        tenant_id = d.pop("tenant_id")

        type_ = d.pop("type")

        webhook_event = cls(
            created_at=created_at,
            data=data,
            id=id,
            tenant_id=tenant_id,
            type_=type_,
        )

        webhook_event.additional_properties = d
        return webhook_event

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
