from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PutRetentionRequest")


@_attrs_define
class PutRetentionRequest:
    """A tenant's own retention; a field left out or `null` is inherited from the nearest
    ancestor that sets it.

        Attributes:
            records_days (int | None | Unset): Days raw data is kept after a report's end (1 to 36500). Example: 90.
            rollups_days (int | None | Unset): Days reports and rollups are kept (1 to 36500; not less than the effective
                `records_days`, here or in any tenant below). Example: 730.
    """

    records_days: int | None | Unset = UNSET
    rollups_days: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        records_days: int | None | Unset
        if isinstance(self.records_days, Unset):
            records_days = UNSET
        else:
            records_days = self.records_days

        rollups_days: int | None | Unset
        if isinstance(self.rollups_days, Unset):
            rollups_days = UNSET
        else:
            rollups_days = self.rollups_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if records_days is not UNSET:
            field_dict["records_days"] = records_days
        if rollups_days is not UNSET:
            field_dict["rollups_days"] = rollups_days

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_records_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        records_days = _parse_records_days(d.pop("records_days", UNSET))

        def _parse_rollups_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rollups_days = _parse_rollups_days(d.pop("rollups_days", UNSET))

        put_retention_request = cls(
            records_days=records_days,
            rollups_days=rollups_days,
        )

        return put_retention_request
