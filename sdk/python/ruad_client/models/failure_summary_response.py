from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.failure_count_response import FailureCountResponse


T = TypeVar("T", bound="FailureSummaryResponse")


@_attrs_define
class FailureSummaryResponse:
    """Failure counts of a domain over a range of days.

    Attributes:
        by_source (list[FailureCountResponse]): By source IP, most incidents first (at most 1000 sources).
        by_type (list[FailureCountResponse]): By `Auth-Failure` value, most incidents first (a report with several
            values counts
            under each).
        from_ (str): First day counted (ISO 8601 date).
        incidents (int):
        reports (int):
        to (str): Last day counted (ISO 8601 date).
    """

    by_source: list[FailureCountResponse]
    by_type: list[FailureCountResponse]
    from_: str
    incidents: int
    reports: int
    to: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by_source = []
        for by_source_item_data in self.by_source:
            by_source_item = by_source_item_data.to_dict()
            by_source.append(by_source_item)

        by_type = []
        for by_type_item_data in self.by_type:
            by_type_item = by_type_item_data.to_dict()
            by_type.append(by_type_item)

        from_ = self.from_

        incidents = self.incidents

        reports = self.reports

        to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by_source": by_source,
                "by_type": by_type,
                "from": from_,
                "incidents": incidents,
                "reports": reports,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.failure_count_response import FailureCountResponse

        d = dict(src_dict)
        by_source = []
        _by_source = d.pop("by_source")
        for by_source_item_data in _by_source:
            by_source_item = FailureCountResponse.from_dict(by_source_item_data)

            by_source.append(by_source_item)

        by_type = []
        _by_type = d.pop("by_type")
        for by_type_item_data in _by_type:
            by_type_item = FailureCountResponse.from_dict(by_type_item_data)

            by_type.append(by_type_item)

        from_ = d.pop("from")

        incidents = d.pop("incidents")

        reports = d.pop("reports")

        to = d.pop("to")

        failure_summary_response = cls(
            by_source=by_source,
            by_type=by_type,
            from_=from_,
            incidents=incidents,
            reports=reports,
            to=to,
        )

        failure_summary_response.additional_properties = d
        return failure_summary_response

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
