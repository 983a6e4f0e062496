from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dmarc_field import DmarcField
from ..models.dmarc_metric import DmarcMetric
from ..models.filter_op import FilterOp
from ..types import UNSET, Unset

T = TypeVar("T", bound="DmarcFilter")


@_attrs_define
class DmarcFilter:
    """One condition. `equals`, `not`, `prefix`, `cidr` take `value`; `in`, `not_in` take
    `values`; `range` (metrics only) takes `min` and/or `max`.

        Example:
            {'field': 'source_ip', 'op': 'cidr', 'value': '192.0.2.0/24'}

        Attributes:
            field (DmarcField | DmarcMetric): A DMARC field or metric.
            op (FilterOp): A filter's operator.
            max_ (int | None | Unset):
            min_ (int | None | Unset):
            value (None | str | Unset):
            values (list[str] | None | Unset):
    """

    field: DmarcField | DmarcMetric
    op: FilterOp
    max_: int | None | Unset = UNSET
    min_: int | None | Unset = UNSET
    value: None | str | Unset = UNSET
    values: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        field: str
        if isinstance(self.field, DmarcField):
            field = self.field.value
        else:
            field = self.field.value

        op = self.op.value

        max_: int | None | Unset
        if isinstance(self.max_, Unset):
            max_ = UNSET
        else:
            max_ = self.max_

        min_: int | None | Unset
        if isinstance(self.min_, Unset):
            min_ = UNSET
        else:
            min_ = self.min_

        value: None | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        values: list[str] | None | Unset
        if isinstance(self.values, Unset):
            values = UNSET
        elif isinstance(self.values, list):
            values = self.values

        else:
            values = self.values

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
                "op": op,
            }
        )
        if max_ is not UNSET:
            field_dict["max"] = max_
        if min_ is not UNSET:
            field_dict["min"] = min_
        if value is not UNSET:
            field_dict["value"] = value
        if values is not UNSET:
            field_dict["values"] = values

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_field(data: object) -> DmarcField | DmarcMetric:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_dmarc_term_type_0 = DmarcField(data)

                return componentsschemas_dmarc_term_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            componentsschemas_dmarc_term_type_1 = DmarcMetric(data)

            return componentsschemas_dmarc_term_type_1

        field = _parse_field(d.pop("field"))

        op = FilterOp(d.pop("op"))

        def _parse_max_(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_ = _parse_max_(d.pop("max", UNSET))

        def _parse_min_(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_ = _parse_min_(d.pop("min", UNSET))

        def _parse_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        def _parse_values(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                values_type_0 = cast(list[str], data)

                return values_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        values = _parse_values(d.pop("values", UNSET))

        dmarc_filter = cls(
            field=field,
            op=op,
            max_=max_,
            min_=min_,
            value=value,
            values=values,
        )

        return dmarc_filter
