from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.logo_format_name import LogoFormatName

T = TypeVar("T", bound="LogoData")


@_attrs_define
class LogoData:
    """A logo image, base64-encoded.

    Attributes:
        data (str): The image bytes in standard base64 (at most 256 KiB decoded). An SVG must be
            well-formed and hold no script, event attribute, `<foreignObject>`, `javascript:`,
            DOCTYPE or reference to anything but its own `#fragments`; a PNG must decode and be
            at most 4096 pixels on each side. Example: iVBORw0KGgo….
        format_ (LogoFormatName): The image format of a logo.
    """

    data: str
    format_: LogoFormatName

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        format_ = self.format_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "format": format_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        data = d.pop("data")

        format_ = LogoFormatName(d.pop("format"))

        logo_data = cls(
            data=data,
            format_=format_,
        )

        return logo_data
