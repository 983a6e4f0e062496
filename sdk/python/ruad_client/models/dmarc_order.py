from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.direction import Direction
from ..models.dmarc_field import DmarcField
from ..models.dmarc_metric import DmarcMetric
from ..types import UNSET, Unset

T = TypeVar("T", bound="DmarcOrder")


@_attrs_define
class DmarcOrder:
    """One sort key: a grouped field or a metric.

    Attributes:
        field (DmarcField | DmarcMetric): A DMARC field or metric.
        direction (Direction | Unset): Sort direction.
    """

    field: DmarcField | DmarcMetric
    direction: Direction | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        field: str
        if isinstance(self.field, DmarcField):
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

        _direction = d.pop("direction", UNSET)
        direction: Direction | Unset
        if isinstance(_direction, Unset):
            direction = UNSET
        else:
            direction = Direction(_direction)

        dmarc_order = cls(
            field=field,
            direction=direction,
        )

        return dmarc_order
