from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IssueSeverityCounts")


@_attrs_define
class IssueSeverityCounts:
    """Unresolved (open or acknowledged) issues of a domain by severity.

    Attributes:
        critical (int):
        high (int):
        info (int):
        low (int):
        medium (int):
    """

    critical: int
    high: int
    info: int
    low: int
    medium: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        critical = self.critical

        high = self.high

        info = self.info

        low = self.low

        medium = self.medium

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "critical": critical,
                "high": high,
                "info": info,
                "low": low,
                "medium": medium,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        critical = d.pop("critical")

        high = d.pop("high")

        info = d.pop("info")

        low = d.pop("low")

        medium = d.pop("medium")

        issue_severity_counts = cls(
            critical=critical,
            high=high,
            info=info,
            low=low,
            medium=medium,
        )

        issue_severity_counts.additional_properties = d
        return issue_severity_counts

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
