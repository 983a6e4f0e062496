from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TlsDateRange")


@_attrs_define
class TlsDateRange:
    """RFC 8460 `date-range`, with the strings as sent and their epoch seconds.

    Attributes:
        begin (int):
        end (int):
        end_datetime (str):
        start_datetime (str):
    """

    begin: int
    end: int
    end_datetime: str
    start_datetime: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        begin = self.begin

        end = self.end

        end_datetime = self.end_datetime

        start_datetime = self.start_datetime

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "begin": begin,
                "end": end,
                "end_datetime": end_datetime,
                "start_datetime": start_datetime,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        begin = d.pop("begin")

        end = d.pop("end")

        end_datetime = d.pop("end_datetime")

        start_datetime = d.pop("start_datetime")

        tls_date_range = cls(
            begin=begin,
            end=end,
            end_datetime=end_datetime,
            start_datetime=start_datetime,
        )

        tls_date_range.additional_properties = d
        return tls_date_range

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
