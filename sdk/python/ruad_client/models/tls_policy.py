from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TlsPolicy")


@_attrs_define
class TlsPolicy:
    """RFC 8460 §4.3 `policy`.

    Attributes:
        policy_domain (str):
        policy_type (str): One of `tlsa`, `sts`, `no-policy-found`; any other value a reporter sent is kept verbatim.
        mx_host (list[str] | Unset): `mx-host` (string or array in the wild; always a list here).
        policy_string (list[str] | Unset):
    """

    policy_domain: str
    policy_type: str
    mx_host: list[str] | Unset = UNSET
    policy_string: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        policy_domain = self.policy_domain

        policy_type = self.policy_type

        mx_host: list[str] | Unset = UNSET
        if not isinstance(self.mx_host, Unset):
            mx_host = self.mx_host

        policy_string: list[str] | Unset = UNSET
        if not isinstance(self.policy_string, Unset):
            policy_string = self.policy_string

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "policy_domain": policy_domain,
                "policy_type": policy_type,
            }
        )
        if mx_host is not UNSET:
            field_dict["mx_host"] = mx_host
        if policy_string is not UNSET:
            field_dict["policy_string"] = policy_string

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        policy_domain = d.pop("policy_domain")

        policy_type = d.pop("policy_type")

        mx_host = cast(list[str], d.pop("mx_host", UNSET))

        policy_string = cast(list[str], d.pop("policy_string", UNSET))

        tls_policy = cls(
            policy_domain=policy_domain,
            policy_type=policy_type,
            mx_host=mx_host,
            policy_string=policy_string,
        )

        tls_policy.additional_properties = d
        return tls_policy

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
