from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.severity import Severity

T = TypeVar("T", bound="Finding")


@_attrs_define
class Finding:
    """One observation about a record, with the rule it comes from.

    Attributes:
        code (str): Stable snake_case identifier, e.g. `spf_too_many_lookups`. Example: dmarc_policy_none.
        message (str): What was found and what to do about it, in plain language.
        rfc (str): The rule: RFC and section, e.g. `RFC 7208 §4.6.4`. Example: RFC 7489 §6.3.
        severity (Severity): How much a finding matters.
    """

    code: str
    message: str
    rfc: str
    severity: Severity
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        rfc = self.rfc

        severity = self.severity.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "rfc": rfc,
                "severity": severity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        rfc = d.pop("rfc")

        severity = Severity(d.pop("severity"))

        finding = cls(
            code=code,
            message=message,
            rfc=rfc,
            severity=severity,
        )

        finding.additional_properties = d
        return finding

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
