from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.service_match import ServiceMatch


T = TypeVar("T", bound="ServiceToFix")


@_attrs_define
class ServiceToFix:
    """A named service of the domain with mail failing DMARC.

    Attributes:
        blocks_next_step (bool): Whether it blocks the next step (failing share above 2 %).
        failing_messages (int):
        failing_share (float): Failing share of the service's messages (0 to 1).
        fix (str): What to change, in plain words.
        messages (int):
        service (ServiceMatch): The service behind a source, and the evidence that named it.
        sources (int):
    """

    blocks_next_step: bool
    failing_messages: int
    failing_share: float
    fix: str
    messages: int
    service: ServiceMatch
    sources: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        blocks_next_step = self.blocks_next_step

        failing_messages = self.failing_messages

        failing_share = self.failing_share

        fix = self.fix

        messages = self.messages

        service = self.service.to_dict()

        sources = self.sources

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "blocks_next_step": blocks_next_step,
                "failing_messages": failing_messages,
                "failing_share": failing_share,
                "fix": fix,
                "messages": messages,
                "service": service,
                "sources": sources,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.service_match import ServiceMatch

        d = dict(src_dict)
        blocks_next_step = d.pop("blocks_next_step")

        failing_messages = d.pop("failing_messages")

        failing_share = d.pop("failing_share")

        fix = d.pop("fix")

        messages = d.pop("messages")

        service = ServiceMatch.from_dict(d.pop("service"))

        sources = d.pop("sources")

        service_to_fix = cls(
            blocks_next_step=blocks_next_step,
            failing_messages=failing_messages,
            failing_share=failing_share,
            fix=fix,
            messages=messages,
            service=service,
            sources=sources,
        )

        service_to_fix.additional_properties = d
        return service_to_fix

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
