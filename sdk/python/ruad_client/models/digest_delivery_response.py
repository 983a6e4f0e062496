from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.digest_delivery_status import DigestDeliveryStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.digest_attempt import DigestAttempt


T = TypeVar("T", bound="DigestDeliveryResponse")


@_attrs_define
class DigestDeliveryResponse:
    """One digest mail for one period.

    Attributes:
        attempt_log (list[DigestAttempt]): Every attempt's outcome, oldest first.
        attempts (int): Attempts made so far.
        created_at (int):
        digest_id (str):
        id (str):
        period_from (str): First day reported on (UTC day, `YYYY-MM-DD`). Example: 2026-11-30.
        period_to (str): Last day reported on, included. Example: 2026-12-06.
        scheduled_for (int): Unix time of the scheduled run (or of the send now).
        status (DigestDeliveryStatus): Where a digest delivery stands.
        trigger (str): `schedule` or `manual` (a send now). Example: schedule.
        last_error (None | str | Unset): Why the last attempt failed, if it did.
        next_attempt_at (int | None | Unset): Unix time of the next attempt, while queued.
        sent_at (int | None | Unset): Unix time the relay took the mail.
        smtp_message_id (None | str | Unset): The `Message-ID` of the mail sent.
        smtp_response (None | str | Unset): The relay's answer to the mail sent.
    """

    attempt_log: list[DigestAttempt]
    attempts: int
    created_at: int
    digest_id: str
    id: str
    period_from: str
    period_to: str
    scheduled_for: int
    status: DigestDeliveryStatus
    trigger: str
    last_error: None | str | Unset = UNSET
    next_attempt_at: int | None | Unset = UNSET
    sent_at: int | None | Unset = UNSET
    smtp_message_id: None | str | Unset = UNSET
    smtp_response: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt_log = []
        for attempt_log_item_data in self.attempt_log:
            attempt_log_item = attempt_log_item_data.to_dict()
            attempt_log.append(attempt_log_item)

        attempts = self.attempts

        created_at = self.created_at

        digest_id = self.digest_id

        id = self.id

        period_from = self.period_from

        period_to = self.period_to

        scheduled_for = self.scheduled_for

        status = self.status.value

        trigger = self.trigger

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        next_attempt_at: int | None | Unset
        if isinstance(self.next_attempt_at, Unset):
            next_attempt_at = UNSET
        else:
            next_attempt_at = self.next_attempt_at

        sent_at: int | None | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        else:
            sent_at = self.sent_at

        smtp_message_id: None | str | Unset
        if isinstance(self.smtp_message_id, Unset):
            smtp_message_id = UNSET
        else:
            smtp_message_id = self.smtp_message_id

        smtp_response: None | str | Unset
        if isinstance(self.smtp_response, Unset):
            smtp_response = UNSET
        else:
            smtp_response = self.smtp_response

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt_log": attempt_log,
                "attempts": attempts,
                "created_at": created_at,
                "digest_id": digest_id,
                "id": id,
                "period_from": period_from,
                "period_to": period_to,
                "scheduled_for": scheduled_for,
                "status": status,
                "trigger": trigger,
            }
        )
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if next_attempt_at is not UNSET:
            field_dict["next_attempt_at"] = next_attempt_at
        if sent_at is not UNSET:
            field_dict["sent_at"] = sent_at
        if smtp_message_id is not UNSET:
            field_dict["smtp_message_id"] = smtp_message_id
        if smtp_response is not UNSET:
            field_dict["smtp_response"] = smtp_response

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.digest_attempt import DigestAttempt

        d = dict(src_dict)
        attempt_log = []
        _attempt_log = d.pop("attempt_log")
        for attempt_log_item_data in _attempt_log:
            attempt_log_item = DigestAttempt.from_dict(attempt_log_item_data)

            attempt_log.append(attempt_log_item)

        attempts = d.pop("attempts")

        created_at = d.pop("created_at")

        digest_id = d.pop("digest_id")

        id = d.pop("id")

        period_from = d.pop("period_from")

        period_to = d.pop("period_to")

        scheduled_for = d.pop("scheduled_for")

        status = DigestDeliveryStatus(d.pop("status"))

        trigger = d.pop("trigger")

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        def _parse_next_attempt_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at", UNSET))

        def _parse_sent_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        sent_at = _parse_sent_at(d.pop("sent_at", UNSET))

        def _parse_smtp_message_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        smtp_message_id = _parse_smtp_message_id(d.pop("smtp_message_id", UNSET))

        def _parse_smtp_response(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        smtp_response = _parse_smtp_response(d.pop("smtp_response", UNSET))

        digest_delivery_response = cls(
            attempt_log=attempt_log,
            attempts=attempts,
            created_at=created_at,
            digest_id=digest_id,
            id=id,
            period_from=period_from,
            period_to=period_to,
            scheduled_for=scheduled_for,
            status=status,
            trigger=trigger,
            last_error=last_error,
            next_attempt_at=next_attempt_at,
            sent_at=sent_at,
            smtp_message_id=smtp_message_id,
            smtp_response=smtp_response,
        )

        digest_delivery_response.additional_properties = d
        return digest_delivery_response

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
