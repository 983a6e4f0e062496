from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.spf_result import SpfResult
from ..types import UNSET, Unset

T = TypeVar("T", bound="Evaluation")


@_attrs_define
class Evaluation:
    """What `check_host` concluded, and how.

    Attributes:
        dns_lookups (int): DNS-querying terms evaluated (§4.6.4).
        result (SpfResult): The result of `check_host` (§2.6).
        trace (list[str]): What was looked at, in order, for humans.
        void_lookups (int): Lookups that found no such name or no records (§4.6.4).
        explanation (None | str | Unset): The `exp=` explanation, on fail only (§6.2).
        mechanism (None | str | Unset): The term of the checked domain's record that decided the result, as written
            (e.g.
            `-all`, `include:_spf.example.com`, `redirect=_spf.example.com`); `None` for the
            default result or when no record could be evaluated.
    """

    dns_lookups: int
    result: SpfResult
    trace: list[str]
    void_lookups: int
    explanation: None | str | Unset = UNSET
    mechanism: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dns_lookups = self.dns_lookups

        result = self.result.value

        trace = self.trace

        void_lookups = self.void_lookups

        explanation: None | str | Unset
        if isinstance(self.explanation, Unset):
            explanation = UNSET
        else:
            explanation = self.explanation

        mechanism: None | str | Unset
        if isinstance(self.mechanism, Unset):
            mechanism = UNSET
        else:
            mechanism = self.mechanism

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dns_lookups": dns_lookups,
                "result": result,
                "trace": trace,
                "void_lookups": void_lookups,
            }
        )
        if explanation is not UNSET:
            field_dict["explanation"] = explanation
        if mechanism is not UNSET:
            field_dict["mechanism"] = mechanism

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        dns_lookups = d.pop("dns_lookups")

        result = SpfResult(d.pop("result"))

        trace = cast(list[str], d.pop("trace"))

        void_lookups = d.pop("void_lookups")

        def _parse_explanation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        explanation = _parse_explanation(d.pop("explanation", UNSET))

        def _parse_mechanism(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mechanism = _parse_mechanism(d.pop("mechanism", UNSET))

        evaluation = cls(
            dns_lookups=dns_lookups,
            result=result,
            trace=trace,
            void_lookups=void_lookups,
            explanation=explanation,
            mechanism=mechanism,
        )

        evaluation.additional_properties = d
        return evaluation

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
