from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.direction import Direction
from ..models.tls_field import TlsField
from ..models.tls_metric import TlsMetric
from ..types import UNSET, Unset

T = TypeVar("T", bound="TlsOrder")


@_attrs_define
class TlsOrder:
    """One sort key: a grouped field or a metric.

    Attributes:
        field (TlsField | TlsMetric): A TLS field or metric.
        direction (Direction | Unset): Sort direction.
    """

    field: TlsField | TlsMetric
    direction: Direction | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        field: str
        if isinstance(self.field, TlsField):
            field = self.field.value
        else:
            field = self.field.value

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
            }
        )
        if direction is not UNSET:
            field_dict["direction"] = direction

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_field(data: object) -> TlsField | TlsMetric:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_tls_term_type_0 = TlsField(data)

                return componentsschemas_tls_term_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            componentsschemas_tls_term_type_1 = TlsMetric(data)

            return componentsschemas_tls_term_type_1

        field = _parse_field(d.pop("field"))

        _direction = d.pop("direction", UNSET)
        direction: Direction | Unset
        if isinstance(_direction, Unset):
            direction = UNSET
        else:
            direction = Direction(_direction)

        tls_order = cls(
            field=field,
            direction=direction,
        )

        return tls_order
