from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.record_item import RecordItem


T = TypeVar("T", bound="DomainRecordsResponse")


@_attrs_define
class DomainRecordsResponse:
    """A page of a domain's records over a range.

    Attributes:
        domain (str):
        from_ (str): First day (inclusive).
        items (list[RecordItem]): By report (begin, then id), then by record number.
        to (str): Last day (inclusive).
        total_records (int): Records of the current reports overlapping the range (every page).
        next_cursor (None | str | Unset): Pass as `cursor` to get the next page; `null` on the last page (always
            present).
    """

    domain: str
    from_: str
    items: list[RecordItem]
    to: str
    total_records: int
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        from_ = self.from_

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        to = self.to

        total_records = self.total_records

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "domain": domain,
                "from": from_,
                "items": items,
                "to": to,
                "total_records": total_records,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.record_item import RecordItem

        d = dict(src_dict)
        domain = d.pop("domain")

        from_ = d.pop("from")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = RecordItem.from_dict(items_item_data)

            items.append(items_item)

        to = d.pop("to")

        total_records = d.pop("total_records")

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        domain_records_response = cls(
            domain=domain,
            from_=from_,
            items=items,
            to=to,
            total_records=total_records,
            next_cursor=next_cursor,
        )

        domain_records_response.additional_properties = d
        return domain_records_response

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
