from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.mta_sts_mode import MtaStsMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="MtaStsInput")


@_attrs_define
class MtaStsInput:
    """What the MTA-STS policy should say.

    Attributes:
        domain (str): Domain receiving mail (A-label form). Example: example.com.
        mode (MtaStsMode): Policy mode.
        id (None | str | Unset): Policy id, 1–32 letters and digits; change it whenever the policy changes (default:
            the current UTC time, e.g. 20261127T031500).
        max_age (int | None | Unset): Seconds senders may cache the policy, at most 31557600 (default 604800 in enforce
            mode, 86400 otherwise).
        mx (list[str] | Unset): MX patterns: host names, or `*.` plus a host name matching one extra leftmost label.
            Required unless mode is none.
    """

    domain: str
    mode: MtaStsMode
    id: None | str | Unset = UNSET
    max_age: int | None | Unset = UNSET
    mx: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        mode = self.mode.value

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        max_age: int | None | Unset
        if isinstance(self.max_age, Unset):
            max_age = UNSET
        else:
            max_age = self.max_age

        mx: list[str] | Unset = UNSET
        if not isinstance(self.mx, Unset):
            mx = self.mx

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "domain": domain,
                "mode": mode,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if max_age is not UNSET:
            field_dict["max_age"] = max_age
        if mx is not UNSET:
            field_dict["mx"] = mx

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domain = d.pop("domain")

        mode = MtaStsMode(d.pop("mode"))

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_max_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_age = _parse_max_age(d.pop("max_age", UNSET))

        mx = cast(list[str], d.pop("mx", UNSET))

        mta_sts_input = cls(
            domain=domain,
            mode=mode,
            id=id,
            max_age=max_age,
            mx=mx,
        )

        return mta_sts_input
