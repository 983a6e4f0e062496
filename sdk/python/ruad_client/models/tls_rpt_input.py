from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

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

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        rua = self.rua

        field_dict: dict[str, Any] = {}

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

        return tls_rpt_input
