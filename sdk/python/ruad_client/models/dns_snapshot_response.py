from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.check_kind import CheckKind
from ..models.severity import Severity
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.check_report import CheckReport


T = TypeVar("T", bound="DnsSnapshotResponse")


@_attrs_define
class DnsSnapshotResponse:
    """One stored check of a registered domain.

    Attributes:
        checked_at (int):
        kind (CheckKind): The kinds of check.
        report (CheckReport): The result of one check.
        selector (str): DKIM/BIMI selector (empty for other kinds).
        worst (None | Severity | Unset):
    """

    checked_at: int
    kind: CheckKind
    report: CheckReport
    selector: str
    worst: None | Severity | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checked_at = self.checked_at

        kind = self.kind.value

        report = self.report.to_dict()

        selector = self.selector

        worst: None | str | Unset
        if isinstance(self.worst, Unset):
            worst = UNSET
        elif isinstance(self.worst, Severity):
            worst = self.worst.value
        else:
            worst = self.worst

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checked_at": checked_at,
                "kind": kind,
                "report": report,
                "selector": selector,
            }
        )
        if worst is not UNSET:
            field_dict["worst"] = worst

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.check_report import CheckReport

        d = dict(src_dict)
        checked_at = d.pop("checked_at")

        kind = CheckKind(d.pop("kind"))

        report = CheckReport.from_dict(d.pop("report"))

        selector = d.pop("selector")

        def _parse_worst(data: object) -> None | Severity | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                worst_type_0 = Severity(data)

                return worst_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Severity | Unset, data)

        worst = _parse_worst(d.pop("worst", UNSET))

        dns_snapshot_response = cls(
            checked_at=checked_at,
            kind=kind,
            report=report,
            selector=selector,
            worst=worst,
        )

        dns_snapshot_response.additional_properties = d
        return dns_snapshot_response

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
