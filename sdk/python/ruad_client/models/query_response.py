from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.answered_from import AnsweredFrom
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.query_group import QueryGroup


T = TypeVar("T", bound="QueryResponse")


@_attrs_define
class QueryResponse:
    """One page of a query's answer.

    Attributes:
        answered_from (AnsweredFrom): Where an answer came from.
        columns (list[str]): The grouped fields, then the metrics, in request order: the columns of the CSV
            form of this answer.
        domains (list[str]): The domains covered, by name.
        from_ (str): First day (inclusive).
        groups (list[QueryGroup]):
        scanned_rows (int): Stored rows read to answer (rollup groups or raw records).
        to (str): Last day (inclusive).
        total_groups (int): Groups in all pages (after the `range` filters).
        next_cursor (None | str | Unset): Pass as `cursor` (with the same query) for the next page; `null` on the last
            page.
    """

    answered_from: AnsweredFrom
    columns: list[str]
    domains: list[str]
    from_: str
    groups: list[QueryGroup]
    scanned_rows: int
    to: str
    total_groups: int
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answered_from = self.answered_from.value

        columns = self.columns

        domains = self.domains

        from_ = self.from_

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)

        scanned_rows = self.scanned_rows

        to = self.to

        total_groups = self.total_groups

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answered_from": answered_from,
                "columns": columns,
                "domains": domains,
                "from": from_,
                "groups": groups,
                "scanned_rows": scanned_rows,
                "to": to,
                "total_groups": total_groups,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.query_group import QueryGroup

        d = dict(src_dict)
        answered_from = AnsweredFrom(d.pop("answered_from"))

        columns = cast(list[str], d.pop("columns"))

        domains = cast(list[str], d.pop("domains"))

        from_ = d.pop("from")

        groups = []
        _groups = d.pop("groups")
        for groups_item_data in _groups:
            groups_item = QueryGroup.from_dict(groups_item_data)

            groups.append(groups_item)

        scanned_rows = d.pop("scanned_rows")

        to = d.pop("to")

        total_groups = d.pop("total_groups")

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        query_response = cls(
            answered_from=answered_from,
            columns=columns,
            domains=domains,
            from_=from_,
            groups=groups,
            scanned_rows=scanned_rows,
            to=to,
            total_groups=total_groups,
            next_cursor=next_cursor,
        )

        query_response.additional_properties = d
        return query_response

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
