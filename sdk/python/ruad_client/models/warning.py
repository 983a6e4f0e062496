from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.warning_code import WarningCode

T = TypeVar("T", bound="Warning_")


@_attrs_define
class Warning_:
    """One kind of tolerance applied to a report, with how often it happened.

    Attributes:
        code (WarningCode): Stable codes of the tolerances applied while parsing.
        count (int): How many times it happened at this path.
        message (str): What happened, for the first occurrence.
        path (str): Where it happened: element path (XML), field path (JSON) or container layer.
    """

    code: WarningCode
    count: int
    message: str
    path: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        count = self.count

        message = self.message

        path = self.path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "count": count,
                "message": message,
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = WarningCode(d.pop("code"))

        count = d.pop("count")

        message = d.pop("message")

        path = d.pop("path")

        warning = cls(
            code=code,
            count=count,
            message=message,
            path=path,
        )

        warning.additional_properties = d
        return warning

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
