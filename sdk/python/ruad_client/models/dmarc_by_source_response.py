from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dmarc_source_response import DmarcSourceResponse


T = TypeVar("T", bound="DmarcBySourceResponse")


@_attrs_define
class DmarcBySourceResponse:
    """
    Attributes:
        domain (str):
        from_ (str):
        sources (list[DmarcSourceResponse]): Sources by message volume, largest first (then by address).
        to (str):
        total_sources (int): Distinct sources in the range (the list holds at most `limit`).
        next_cursor (None | str | Unset): Pass as `cursor` to get the next page; `null` on the last page (always
            present).
    """

    domain: str
    from_: str
    sources: list[DmarcSourceResponse]
    to: str
    total_sources: int
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        from_ = self.from_

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        to = self.to

        total_sources = self.total_sources

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
                "sources": sources,
                "to": to,
                "total_sources": total_sources,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dmarc_source_response import DmarcSourceResponse

        d = dict(src_dict)
        domain = d.pop("domain")

        from_ = d.pop("from")

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = DmarcSourceResponse.from_dict(sources_item_data)

            sources.append(sources_item)

        to = d.pop("to")

        total_sources = d.pop("total_sources")

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        dmarc_by_source_response = cls(
            domain=domain,
            from_=from_,
            sources=sources,
            to=to,
            total_sources=total_sources,
            next_cursor=next_cursor,
        )

        dmarc_by_source_response.additional_properties = d
        return dmarc_by_source_response

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
