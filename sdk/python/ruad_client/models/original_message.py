from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.header_field import HeaderField


T = TypeVar("T", bound="OriginalMessage")


@_attrs_define
class OriginalMessage:
    """The failing message, as included in the report (RFC 6591 §3.3: the whole message or only
    its header block).

        Attributes:
            headers (list[HeaderField]): Every header field in order, values unfolded.
            headers_only (bool): Only the header block was included (`text/rfc822-headers`).
            to (list[str]): The To addresses (addr-specs).
            body (None | str | Unset): The body as text (lossy UTF-8, cut at the parser's token limit); absent when only
                headers were included.
            date (int | None | Unset): The Date, as Unix seconds (UTC).
            from_ (None | str | Unset): The From address (addr-spec).
            message_id (None | str | Unset): The Message-ID, without angle brackets.
            subject (None | str | Unset):
    """

    headers: list[HeaderField]
    headers_only: bool
    to: list[str]
    body: None | str | Unset = UNSET
    date: int | None | Unset = UNSET
    from_: None | str | Unset = UNSET
    message_id: None | str | Unset = UNSET
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        headers = []
        for headers_item_data in self.headers:
            headers_item = headers_item_data.to_dict()
            headers.append(headers_item)

        headers_only = self.headers_only

        to = self.to

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        date: int | None | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        else:
            date = self.date

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        else:
            from_ = self.from_

        message_id: None | str | Unset
        if isinstance(self.message_id, Unset):
            message_id = UNSET
        else:
            message_id = self.message_id

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "headers": headers,
                "headers_only": headers_only,
                "to": to,
            }
        )
        if body is not UNSET:
            field_dict["body"] = body
        if date is not UNSET:
            field_dict["date"] = date
        if from_ is not UNSET:
            field_dict["from"] = from_
        if message_id is not UNSET:
            field_dict["message_id"] = message_id
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.header_field import HeaderField

        d = dict(src_dict)
        headers = []
        _headers = d.pop("headers")
        for headers_item_data in _headers:
            headers_item = HeaderField.from_dict(headers_item_data)

            headers.append(headers_item)

        headers_only = d.pop("headers_only")

        to = cast(list[str], d.pop("to"))

        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        def _parse_date(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        date = _parse_date(d.pop("date", UNSET))

        def _parse_from_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_message_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message_id = _parse_message_id(d.pop("message_id", UNSET))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        original_message = cls(
            headers=headers,
            headers_only=headers_only,
            to=to,
            body=body,
            date=date,
            from_=from_,
            message_id=message_id,
            subject=subject,
        )

        original_message.additional_properties = d
        return original_message

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
