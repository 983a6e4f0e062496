from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UnknownFigures")


@_attrs_define
class UnknownFigures:
    """Mail from sources no service could be named for.

    Attributes:
        failing_messages (int):
        messages (int):
        sources (int):
    """

    failing_messages: int
    messages: int
    sources: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failing_messages = self.failing_messages

        messages = self.messages

        sources = self.sources

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failing_messages": failing_messages,
                "messages": messages,
                "sources": sources,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failing_messages = d.pop("failing_messages")

        messages = d.pop("messages")

        sources = d.pop("sources")

        unknown_figures = cls(
            failing_messages=failing_messages,
            messages=messages,
            sources=sources,
        )

        unknown_figures.additional_properties = d
        return unknown_figures

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
