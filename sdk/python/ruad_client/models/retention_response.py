from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.retention_setting import RetentionSetting


T = TypeVar("T", bound="RetentionResponse")


@_attrs_define
class RetentionResponse:
    """A tenant's retention: what applies to its data, and its own settings.

    Attributes:
        tenant_id (str):
        own_records_days (int | None | Unset): The tenant's own `records_days` (`null`: inherited).
        own_rollups_days (int | None | Unset): The tenant's own `rollups_days` (`null`: inherited).
        records (None | RetentionSetting | Unset):
        rollups (None | RetentionSetting | Unset):
        updated_at (int | None | Unset): When the tenant's own settings last changed (Unix time).
    """

    tenant_id: str
    own_records_days: int | None | Unset = UNSET
    own_rollups_days: int | None | Unset = UNSET
    records: None | RetentionSetting | Unset = UNSET
    rollups: None | RetentionSetting | Unset = UNSET
    updated_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.retention_setting import RetentionSetting

        tenant_id = self.tenant_id

        own_records_days: int | None | Unset
        if isinstance(self.own_records_days, Unset):
            own_records_days = UNSET
        else:
            own_records_days = self.own_records_days

        own_rollups_days: int | None | Unset
        if isinstance(self.own_rollups_days, Unset):
            own_rollups_days = UNSET
        else:
            own_rollups_days = self.own_rollups_days

        records: dict[str, Any] | None | Unset
        if isinstance(self.records, Unset):
            records = UNSET
        elif isinstance(self.records, RetentionSetting):
            records = self.records.to_dict()
        else:
            records = self.records

        rollups: dict[str, Any] | None | Unset
        if isinstance(self.rollups, Unset):
            rollups = UNSET
        elif isinstance(self.rollups, RetentionSetting):
            rollups = self.rollups.to_dict()
        else:
            rollups = self.rollups

        updated_at: int | None | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tenant_id": tenant_id,
            }
        )
        if own_records_days is not UNSET:
            field_dict["own_records_days"] = own_records_days
        if own_rollups_days is not UNSET:
            field_dict["own_rollups_days"] = own_rollups_days
        if records is not UNSET:
            field_dict["records"] = records
        if rollups is not UNSET:
            field_dict["rollups"] = rollups
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.retention_setting import RetentionSetting

        d = dict(src_dict)
        tenant_id = d.pop("tenant_id")

        def _parse_own_records_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        own_records_days = _parse_own_records_days(d.pop("own_records_days", UNSET))

        def _parse_own_rollups_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        own_rollups_days = _parse_own_rollups_days(d.pop("own_rollups_days", UNSET))

        def _parse_records(data: object) -> None | RetentionSetting | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                records_type_0 = RetentionSetting.from_dict(data)

                return records_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetentionSetting | Unset, data)

        records = _parse_records(d.pop("records", UNSET))

        def _parse_rollups(data: object) -> None | RetentionSetting | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rollups_type_0 = RetentionSetting.from_dict(data)

                return rollups_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetentionSetting | Unset, data)

        rollups = _parse_rollups(d.pop("rollups", UNSET))

        def _parse_updated_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        retention_response = cls(
            tenant_id=tenant_id,
            own_records_days=own_records_days,
            own_rollups_days=own_rollups_days,
            records=records,
            rollups=rollups,
            updated_at=updated_at,
        )

        retention_response.additional_properties = d
        return retention_response

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
