from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.step import Step
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.suggested_record import SuggestedRecord


T = TypeVar("T", bound="Recommendation")


@_attrs_define
class Recommendation:
    """
    Attributes:
        explanation (str): Why, in plain words.
        step (Step): The next step.
        record (None | SuggestedRecord | Unset):
    """

    explanation: str
    step: Step
    record: None | SuggestedRecord | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.suggested_record import SuggestedRecord

        explanation = self.explanation

        step = self.step.value

        record: dict[str, Any] | None | Unset
        if isinstance(self.record, Unset):
            record = UNSET
        elif isinstance(self.record, SuggestedRecord):
            record = self.record.to_dict()
        else:
            record = self.record

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "explanation": explanation,
                "step": step,
            }
        )
        if record is not UNSET:
            field_dict["record"] = record

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.suggested_record import SuggestedRecord

        d = dict(src_dict)
        explanation = d.pop("explanation")

        step = Step(d.pop("step"))

        def _parse_record(data: object) -> None | SuggestedRecord | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                record_type_0 = SuggestedRecord.from_dict(data)

                return record_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SuggestedRecord | Unset, data)

        record = _parse_record(d.pop("record", UNSET))

        recommendation = cls(
            explanation=explanation,
            step=step,
            record=record,
        )

        recommendation.additional_properties = d
        return recommendation

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
