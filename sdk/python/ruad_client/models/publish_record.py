from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PublishRecord")


@_attrs_define
class PublishRecord:
    """One DNS record to publish.

    Attributes:
        chunks (list[str]): The value split into character-strings of at most 255 bytes, as a zone file or DNS
            provider needs them.
        name (str): Owner name, without the trailing dot. Example: _dmarc.example.com.
        rtype (str): Record type (`TXT`). Example: TXT.
        ttl (int): Suggested TTL in seconds.
        value (str): The whole value, as receivers read it (the strings joined).
    """

    chunks: list[str]
    name: str
    rtype: str
    ttl: int
    value: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunks = self.chunks

        name = self.name

        rtype = self.rtype

        ttl = self.ttl

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunks": chunks,
                "name": name,
                "rtype": rtype,
                "ttl": ttl,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        chunks = cast(list[str], d.pop("chunks"))

        name = d.pop("name")

        rtype = d.pop("rtype")

        ttl = d.pop("ttl")

        value = d.pop("value")

        publish_record = cls(
            chunks=chunks,
            name=name,
            rtype=rtype,
            ttl=ttl,
            value=value,
        )

        publish_record.additional_properties = d
        return publish_record

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
