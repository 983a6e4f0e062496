from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.group_key import GroupKey
    from ..models.group_metrics import GroupMetrics


T = TypeVar("T", bound="QueryGroup")


@_attrs_define
class QueryGroup:
    """One group: its grouped fields and its metrics.

    Attributes:
        key (GroupKey): A group's fields by name (`day`, `source_ip`, …); `null` where the reports gave no value.
        metrics (GroupMetrics): A group's metrics by name (`messages`, `dmarc_pass`, …).
    """

    key: GroupKey
    metrics: GroupMetrics
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key.to_dict()

        metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "metrics": metrics,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.group_key import GroupKey
        from ..models.group_metrics import GroupMetrics

        d = dict(src_dict)
        key = GroupKey.from_dict(d.pop("key"))

        metrics = GroupMetrics.from_dict(d.pop("metrics"))

        query_group = cls(
            key=key,
            metrics=metrics,
        )

        query_group.additional_properties = d
        return query_group

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
