from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SpfEvaluateRequest")


@_attrs_define
class SpfEvaluateRequest:
    """An SPF evaluation request.

    Attributes:
        ip (str): The connecting client's address. Example: 192.0.2.25.
        sender (str): The envelope sender (MAIL FROM); empty for a bounce. Example: bounce@example.com.
        helo (None | str | Unset): The HELO/EHLO name, used when the sender is empty.
    """

    ip: str
    sender: str
    helo: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ip = self.ip

        sender = self.sender

        helo: None | str | Unset
        if isinstance(self.helo, Unset):
            helo = UNSET
        else:
            helo = self.helo

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ip": ip,
                "sender": sender,
            }
        )
        if helo is not UNSET:
            field_dict["helo"] = helo

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ip = d.pop("ip")

        sender = d.pop("sender")

        def _parse_helo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        helo = _parse_helo(d.pop("helo", UNSET))

        spf_evaluate_request = cls(
            ip=ip,
            sender=sender,
            helo=helo,
        )

        return spf_evaluate_request
