from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tls_field import TlsField
from ..models.tls_metric import TlsMetric
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tls_filter import TlsFilter
    from ..models.tls_order import TlsOrder


T = TypeVar("T", bound="TlsQueryRequest")


@_attrs_define
class TlsQueryRequest:
    """A TLS query, shaped like the DMARC one.

    Example:
        {'from': '2026-11-01', 'group_by': ['receiving_mx_hostname', 'result_type'], 'metrics': ['failed_sessions'],
            'to': '2026-11-30'}

    Attributes:
        cursor (None | str | Unset): `next_cursor` of the previous page of the same query.
        domains (list[str] | Unset): Domains (names or ids) of the caller's scope; absent or empty: every domain in
            scope
            (at most 100).
        filters (list[TlsFilter] | Unset):
        from_ (None | str | Unset): First day, inclusive (ISO 8601 date; default: 30 days before `to`).
        group_by (list[TlsField] | Unset): Fields to group by, at most 4. Failure fields (`result_type`,
            `sending_mta_ip`,
            `receiving_mx_hostname`) have `failed_sessions` only; policy fields (`policy_type`,
            `policy_domain`) are read from the raw policy rows and do not combine with them.
        limit (int | None | Unset): Groups per page, 1 to 1000 (default 100).
        metrics (list[TlsMetric] | Unset): Metrics of each group (default `failed_sessions`).
        order_by (list[TlsOrder] | Unset):
        to (None | str | Unset): Last day, inclusive (ISO 8601 date; default: today, UTC).
    """

    cursor: None | str | Unset = UNSET
    domains: list[str] | Unset = UNSET
    filters: list[TlsFilter] | Unset = UNSET
    from_: None | str | Unset = UNSET
    group_by: list[TlsField] | Unset = UNSET
    limit: int | None | Unset = UNSET
    metrics: list[TlsMetric] | Unset = UNSET
    order_by: list[TlsOrder] | Unset = UNSET
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
        from ..models.tls_filter import TlsFilter
        from ..models.tls_order import TlsOrder

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
        filters: list[TlsFilter] | Unset = UNSET
        if _filters is not UNSET:
            filters = []
            for filters_item_data in _filters:
                filters_item = TlsFilter.from_dict(filters_item_data)

                filters.append(filters_item)

        def _parse_from_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        _group_by = d.pop("group_by", UNSET)
        group_by: list[TlsField] | Unset = UNSET
        if _group_by is not UNSET:
            group_by = []
            for group_by_item_data in _group_by:
                group_by_item = TlsField(group_by_item_data)

                group_by.append(group_by_item)

        def _parse_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        limit = _parse_limit(d.pop("limit", UNSET))

        _metrics = d.pop("metrics", UNSET)
        metrics: list[TlsMetric] | Unset = UNSET
        if _metrics is not UNSET:
            metrics = []
            for metrics_item_data in _metrics:
                metrics_item = TlsMetric(metrics_item_data)

                metrics.append(metrics_item)

        _order_by = d.pop("order_by", UNSET)
        order_by: list[TlsOrder] | Unset = UNSET
        if _order_by is not UNSET:
            order_by = []
            for order_by_item_data in _order_by:
                order_by_item = TlsOrder.from_dict(order_by_item_data)

                order_by.append(order_by_item)

        def _parse_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        tls_query_request = cls(
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

        return tls_query_request
