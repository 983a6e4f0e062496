from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SpfInput")


@_attrs_define
class SpfInput:
    """What an SPF record should authorize.

    Attributes:
        domain (str):  Example: example.com.
        a (bool | Unset): Authorize the domain's own A/AAAA addresses.
        all_ (str | Unset): Result for everything else: `fail`, `softfail` or `neutral` (never `pass`). Example:
            softfail.
        includes (list[str] | Unset): Domains whose SPF records are included (e.g. an email provider's `_spf` domain).
        ip4 (list[str] | Unset): IPv4 addresses or networks, e.g. `192.0.2.0/24`.
        ip6 (list[str] | Unset): IPv6 addresses or networks, e.g. `2001:db8::/32`.
        mx (bool | Unset): Authorize the domain's MX hosts.
        redirect (None | str | Unset): Use another domain's record instead of an `all` (the `all` field is then unused).
    """

    domain: str
    a: bool | Unset = UNSET
    all_: str | Unset = UNSET
    includes: list[str] | Unset = UNSET
    ip4: list[str] | Unset = UNSET
    ip6: list[str] | Unset = UNSET
    mx: bool | Unset = UNSET
    redirect: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        a = self.a

        all_ = self.all_

        includes: list[str] | Unset = UNSET
        if not isinstance(self.includes, Unset):
            includes = self.includes

        ip4: list[str] | Unset = UNSET
        if not isinstance(self.ip4, Unset):
            ip4 = self.ip4

        ip6: list[str] | Unset = UNSET
        if not isinstance(self.ip6, Unset):
            ip6 = self.ip6

        mx = self.mx

        redirect: None | str | Unset
        if isinstance(self.redirect, Unset):
            redirect = UNSET
        else:
            redirect = self.redirect

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "domain": domain,
            }
        )
        if a is not UNSET:
            field_dict["a"] = a
        if all_ is not UNSET:
            field_dict["all"] = all_
        if includes is not UNSET:
            field_dict["includes"] = includes
        if ip4 is not UNSET:
            field_dict["ip4"] = ip4
        if ip6 is not UNSET:
            field_dict["ip6"] = ip6
        if mx is not UNSET:
            field_dict["mx"] = mx
        if redirect is not UNSET:
            field_dict["redirect"] = redirect

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domain = d.pop("domain")

        a = d.pop("a", UNSET)

        all_ = d.pop("all", UNSET)

        includes = cast(list[str], d.pop("includes", UNSET))

        ip4 = cast(list[str], d.pop("ip4", UNSET))

        ip6 = cast(list[str], d.pop("ip6", UNSET))

        mx = d.pop("mx", UNSET)

        def _parse_redirect(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redirect = _parse_redirect(d.pop("redirect", UNSET))

        spf_input = cls(
            domain=domain,
            a=a,
            all_=all_,
            includes=includes,
            ip4=ip4,
            ip6=ip6,
            mx=mx,
            redirect=redirect,
        )

        return spf_input
