from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MailboxStatus")


@_attrs_define
class MailboxStatus:
    """Progress and counters of a mailbox's polling.

    Attributes:
        last_uid (int): Highest UID dealt with (stored and moved, or rejected); later messages are next.
        messages_rejected (int): Messages moved to the rejected folder (no report stored from them).
        messages_seen (int): Messages dealt with.
        polls (int): Polls run to their end (with or without error).
        reports_duplicate (int): Reports that were already stored.
        reports_failed (int): Reports that could not be stored (unparsable, unregistered domain, …).
        reports_stored (int): Reports stored from them.
        uidvalidity_resets (int): Times the folder's UIDVALIDITY changed and it was read again from the start.
        last_error (None | str | Unset): Why the last poll failed; `null` when it went through.
        last_poll_at (int | None | Unset): Unix time the last poll ended (with or without error).
        last_rejection (None | str | Unset): Why the last rejected message was moved to the rejected folder.
        uidvalidity (int | None | Unset): UIDVALIDITY of the folder the progress is recorded under.
    """

    last_uid: int
    messages_rejected: int
    messages_seen: int
    polls: int
    reports_duplicate: int
    reports_failed: int
    reports_stored: int
    uidvalidity_resets: int
    last_error: None | str | Unset = UNSET
    last_poll_at: int | None | Unset = UNSET
    last_rejection: None | str | Unset = UNSET
    uidvalidity: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        last_uid = self.last_uid

        messages_rejected = self.messages_rejected

        messages_seen = self.messages_seen

        polls = self.polls

        reports_duplicate = self.reports_duplicate

        reports_failed = self.reports_failed

        reports_stored = self.reports_stored

        uidvalidity_resets = self.uidvalidity_resets

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        last_poll_at: int | None | Unset
        if isinstance(self.last_poll_at, Unset):
            last_poll_at = UNSET
        else:
            last_poll_at = self.last_poll_at

        last_rejection: None | str | Unset
        if isinstance(self.last_rejection, Unset):
            last_rejection = UNSET
        else:
            last_rejection = self.last_rejection

        uidvalidity: int | None | Unset
        if isinstance(self.uidvalidity, Unset):
            uidvalidity = UNSET
        else:
            uidvalidity = self.uidvalidity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "last_uid": last_uid,
                "messages_rejected": messages_rejected,
                "messages_seen": messages_seen,
                "polls": polls,
                "reports_duplicate": reports_duplicate,
                "reports_failed": reports_failed,
                "reports_stored": reports_stored,
                "uidvalidity_resets": uidvalidity_resets,
            }
        )
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if last_poll_at is not UNSET:
            field_dict["last_poll_at"] = last_poll_at
        if last_rejection is not UNSET:
            field_dict["last_rejection"] = last_rejection
        if uidvalidity is not UNSET:
            field_dict["uidvalidity"] = uidvalidity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        last_uid = d.pop("last_uid")

        messages_rejected = d.pop("messages_rejected")

        messages_seen = d.pop("messages_seen")

        polls = d.pop("polls")

        reports_duplicate = d.pop("reports_duplicate")

        reports_failed = d.pop("reports_failed")

        reports_stored = d.pop("reports_stored")

        uidvalidity_resets = d.pop("uidvalidity_resets")

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        def _parse_last_poll_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_poll_at = _parse_last_poll_at(d.pop("last_poll_at", UNSET))

        def _parse_last_rejection(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_rejection = _parse_last_rejection(d.pop("last_rejection", UNSET))

        def _parse_uidvalidity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        uidvalidity = _parse_uidvalidity(d.pop("uidvalidity", UNSET))

        mailbox_status = cls(
            last_uid=last_uid,
            messages_rejected=messages_rejected,
            messages_seen=messages_seen,
            polls=polls,
            reports_duplicate=reports_duplicate,
            reports_failed=reports_failed,
            reports_stored=reports_stored,
            uidvalidity_resets=uidvalidity_resets,
            last_error=last_error,
            last_poll_at=last_poll_at,
            last_rejection=last_rejection,
            uidvalidity=uidvalidity,
        )

        mailbox_status.additional_properties = d
        return mailbox_status

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
