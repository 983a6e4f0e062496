from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.timeseries_interval import TimeseriesInterval
from ..models.timeseries_kind import TimeseriesKind

if TYPE_CHECKING:
    from ..models.timeseries_point import TimeseriesPoint


T = TypeVar("T", bound="TimeseriesResponse")


@_attrs_define
class TimeseriesResponse:
    """A domain's DMARC or TLS totals per day, week or month.

    Attributes:
        domain (str):
        from_ (str): First day (inclusive).
        interval (TimeseriesInterval): How long a timeseries bucket is.
        kind (TimeseriesKind): What a timeseries counts.
        points (list[TimeseriesPoint]): One point per day, week or month of the range, oldest first, days without
            reports included
            (as zeros).
        to (str): Last day (inclusive).
    """

    domain: str
    from_: str
    interval: TimeseriesInterval
    kind: TimeseriesKind
    points: list[TimeseriesPoint]
    to: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        from_ = self.from_

        interval = self.interval.value

        kind = self.kind.value

        points = []
        for points_item_data in self.points:
            points_item = points_item_data.to_dict()
            points.append(points_item)

        to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "domain": domain,
                "from": from_,
                "interval": interval,
                "kind": kind,
                "points": points,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.timeseries_point import TimeseriesPoint

        d = dict(src_dict)
        domain = d.pop("domain")

        from_ = d.pop("from")

        interval = TimeseriesInterval(d.pop("interval"))

        kind = TimeseriesKind(d.pop("kind"))

        points = []
        _points = d.pop("points")
        for points_item_data in _points:
            points_item = TimeseriesPoint.from_dict(points_item_data)

            points.append(points_item)

        to = d.pop("to")

        timeseries_response = cls(
            domain=domain,
            from_=from_,
            interval=interval,
            kind=kind,
            points=points,
            to=to,
        )

        timeseries_response.additional_properties = d
        return timeseries_response

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
