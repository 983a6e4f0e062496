from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ForwarderFigures")


@_attrs_define
class ForwarderFigures:
    """Mail through forwarders and mailing lists.

    Attributes:
        failing_messages (int):
        messages (int):
        needing_dkim (int): The rest: saved only when the original DKIM signature, aligned with the domain,
            survives the forwarding (sign everything with DKIM; SPF never survives forwarding).
        saved_by_receivers (int): Failing messages receivers already accepted as forwarded (ARC or a trusted forwarder
            list: override reason forwarded, trusted_forwarder or mailing_list).
        sources (int):
    """

    failing_messages: int
    messages: int
    needing_dkim: int
    saved_by_receivers: int
    sources: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failing_messages = self.failing_messages

        messages = self.messages

        needing_dkim = self.needing_dkim

        saved_by_receivers = self.saved_by_receivers

        sources = self.sources

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failing_messages": failing_messages,
                "messages": messages,
                "needing_dkim": needing_dkim,
                "saved_by_receivers": saved_by_receivers,
                "sources": sources,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failing_messages = d.pop("failing_messages")

        messages = d.pop("messages")

        needing_dkim = d.pop("needing_dkim")

        saved_by_receivers = d.pop("saved_by_receivers")

        sources = d.pop("sources")

        forwarder_figures = cls(
            failing_messages=failing_messages,
            messages=messages,
            needing_dkim=needing_dkim,
            saved_by_receivers=saved_by_receivers,
            sources=sources,
        )

        forwarder_figures.additional_properties = d
        return forwarder_figures

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
