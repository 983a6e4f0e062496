from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dmarc_field import DmarcField
from ..models.dmarc_metric import DmarcMetric
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dmarc_filter import DmarcFilter
    from ..models.dmarc_order import DmarcOrder


T = TypeVar("T", bound="DmarcQueryRequest")


@_attrs_define
class DmarcQueryRequest:
    """A DMARC query: which domains and days, grouped how, filtered how, which metrics, in
    which order, which page.

        Example:
            {'domains': ['example.com'], 'filters': [{'field': 'messages', 'min': 10, 'op': 'range'}], 'from': '2026-09-01',
                'group_by': ['source_ip', 'header_from', 'month'], 'limit': 100, 'metrics': ['messages', 'dmarc_pass'],
                'order_by': [{'direction': 'desc', 'field': 'messages'}], 'to': '2026-11-30'}

        Attributes:
            cursor (None | str | Unset): `next_cursor` of the previous page of the same query.
            domains (list[str] | Unset): Domains (names or ids) of the caller's scope; absent or empty: every domain in
                scope
                (at most 100; name them beyond that). A domain outside the scope is a 404.
            filters (list[DmarcFilter] | Unset): Conditions, all of which must hold (at most 20): on fields, per message
                row; `range`
                on metrics, per group.
            from_ (None | str | Unset): First day, inclusive (ISO 8601 date; default: 30 days before `to`).
            group_by (list[DmarcField] | Unset): Fields to group by, at most 4 (none: one group of everything).
            limit (int | None | Unset): Groups per page, 1 to 1000 (default 100).
            metrics (list[DmarcMetric] | Unset): Metrics of each group (default `messages`).
            order_by (list[DmarcOrder] | Unset): Sort keys, at most 4: grouped fields or requested metrics (default: the
                first metric,
                descending). Ties are ordered by the grouped fields, ascending.
            to (None | str | Unset): Last day, inclusive (ISO 8601 date; default: today, UTC).
    """

    cursor: None | str | Unset = UNSET
    domains: list[str] | Unset = UNSET
    filters: list[DmarcFilter] | Unset = UNSET
    from_: None | str | Unset = UNSET
    group_by: list[DmarcField] | Unset = UNSET
    limit: int | None | Unset = UNSET
    metrics: list[DmarcMetric] | Unset = UNSET
    order_by: list[DmarcOrder] | Unset = UNSET
    to: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cursor: None | str | Unset
        if isinstance(self.cursor, Unset):
            cursor = UNSET
        else:
            cursor = self.cursor

        domains: list[str] | Unset = UNSET
        if not isinstance(self.domains, Unset):
            domains = self.domains

        filters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = []
            for filters_item_data in self.filters:
                filters_item = filters_item_data.to_dict()
                filters.append(filters_item)

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        else:
            from_ = self.from_

        group_by: list[str] | Unset = UNSET
        if not isinstance(self.group_by, Unset):
            group_by = []
            for group_by_item_data in self.group_by:
                group_by_item = group_by_item_data.value
                group_by.append(group_by_item)

        limit: int | None | Unset
        if isinstance(self.limit, Unset):
            limit = UNSET
        else:
            limit = self.limit

        metrics: list[str] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = []
            for metrics_item_data in self.metrics:
                metrics_item = metrics_item_data.value
                metrics.append(metrics_item)

        order_by: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.order_by, Unset):
            order_by = []
            for order_by_item_data in self.order_by:
                order_by_item = order_by_item_data.to_dict()
                order_by.append(order_by_item)

        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        else:
            to = self.to

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if cursor is not UNSET:
            field_dict["cursor"] = cursor
        if domains is not UNSET:
            field_dict["domains"] = domains
        if filters is not UNSET:
            field_dict["filters"] = filters
        if from_ is not UNSET:
            field_dict["from"] = from_
        if group_by is not UNSET:
            field_dict["group_by"] = group_by
        if limit is not UNSET:
            field_dict["limit"] = limit
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if order_by is not UNSET:
            field_dict["order_by"] = order_by
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dmarc_filter import DmarcFilter
        from ..models.dmarc_order import DmarcOrder

        d = dict(src_dict)

        def _parse_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cursor = _parse_cursor(d.pop("cursor", UNSET))

        domains = cast(list[str], d.pop("domains", UNSET))

        _filters = d.pop("filters", UNSET)
        filters: list[DmarcFilter] | Unset = UNSET
        if _filters is not UNSET:
            filters = []
            for filters_item_data in _filters:
                filters_item = DmarcFilter.from_dict(filters_item_data)

                filters.append(filters_item)

        def _parse_from_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        _group_by = d.pop("group_by", UNSET)
        group_by: list[DmarcField] | Unset = UNSET
        if _group_by is not UNSET:
            group_by = []
            for group_by_item_data in _group_by:
                group_by_item = DmarcField(group_by_item_data)

                group_by.append(group_by_item)

        def _parse_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        limit = _parse_limit(d.pop("limit", UNSET))

        _metrics = d.pop("metrics", UNSET)
        metrics: list[DmarcMetric] | Unset = UNSET
        if _metrics is not UNSET:
            metrics = []
            for metrics_item_data in _metrics:
                metrics_item = DmarcMetric(metrics_item_data)

                metrics.append(metrics_item)

        _order_by = d.pop("order_by", UNSET)
        order_by: list[DmarcOrder] | Unset = UNSET
        if _order_by is not UNSET:
            order_by = []
            for order_by_item_data in _order_by:
                order_by_item = DmarcOrder.from_dict(order_by_item_data)

                order_by.append(order_by_item)

        def _parse_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        dmarc_query_request = cls(
            cursor=cursor,
            domains=domains,
            filters=filters,
            from_=from_,
            group_by=group_by,
            limit=limit,
            metrics=metrics,
            order_by=order_by,
            to=to,
        )

        return dmarc_query_request
