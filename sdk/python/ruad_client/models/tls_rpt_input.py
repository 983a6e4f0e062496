from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TlsRptInput")


@_attrs_define
class TlsRptInput:
    """Where TLS reports should go.

    Attributes:
        domain (str): Domain receiving mail (A-label form). Example: example.com.
        rua (list[str]): Report destinations: addresses (`mailto:` is added), `mailto:` or `https:` URIs.
    """

    domain: str
    rua: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        rua = self.rua

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "domain": domain,
                "rua": rua,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domain = d.pop("domain")

        rua = cast(list[str], d.pop("rua"))

        tls_rpt_input = cls(
            domain=domain,
            rua=rua,
        )

        tls_rpt_input.additional_properties = d
        return tls_rpt_input

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
