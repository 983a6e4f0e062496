from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PolicyEffect")


@_attrs_define
class PolicyEffect:
    """What one policy would have done.

    Attributes:
        failing_messages (int): Messages failing DMARC: what the policy applies to.
        from_forwarders (int): Of the newly affected, mail through forwarders and mailing lists.
        from_services (int): Of the newly affected, legitimate mail of the domain's named services (would be lost).
        from_unknown (int): Of the newly affected, mail from unknown sources (what enforcement stops).
        newly_affected_messages (int): Of those, the messages receivers did not already treat this way or stricter: what
            publishing the policy changes.
    """

    failing_messages: int
    from_forwarders: int
    from_services: int
    from_unknown: int
    newly_affected_messages: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failing_messages = self.failing_messages

        from_forwarders = self.from_forwarders

        from_services = self.from_services

        from_unknown = self.from_unknown

        newly_affected_messages = self.newly_affected_messages

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failing_messages": failing_messages,
                "from_forwarders": from_forwarders,
                "from_services": from_services,
                "from_unknown": from_unknown,
                "newly_affected_messages": newly_affected_messages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failing_messages = d.pop("failing_messages")

        from_forwarders = d.pop("from_forwarders")

        from_services = d.pop("from_services")

        from_unknown = d.pop("from_unknown")

        newly_affected_messages = d.pop("newly_affected_messages")

        policy_effect = cls(
            failing_messages=failing_messages,
            from_forwarders=from_forwarders,
            from_services=from_services,
            from_unknown=from_unknown,
            newly_affected_messages=newly_affected_messages,
        )

        policy_effect.additional_properties = d
        return policy_effect

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
