from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DigestAttempt")


@_attrs_define
class DigestAttempt:
    """One attempt to hand a digest to the relay.

    Attributes:
        at (int): Unix time of the attempt.
        outcome (str): `sent`, `retry` (a transient failure: tried again) or `failed`. Example: retry.
        reply (str): The relay's answer, or why there was none. Example: 451 4.3.0 try again later.
    """

    at: int
    outcome: str
    reply: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        outcome = self.outcome

        reply = self.reply

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "outcome": outcome,
                "reply": reply,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        at = d.pop("at")

        outcome = d.pop("outcome")

        reply = d.pop("reply")

        digest_attempt = cls(
            at=at,
            outcome=outcome,
            reply=reply,
        )

        digest_attempt.additional_properties = d
        return digest_attempt

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
