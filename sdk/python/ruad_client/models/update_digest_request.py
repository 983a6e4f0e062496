from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.digest_frequency import DigestFrequency
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateDigestRequest")


@_attrs_define
class UpdateDigestRequest:
    """
    Attributes:
        day (int | None | Unset): New day (checked against the new or current frequency).
        enabled (bool | None | Unset): Enable or disable scheduled sends.
        frequency (DigestFrequency | None | Unset):
        hour (int | None | Unset):
        language (None | str | Unset): `en` or `nl`; `""` returns to the brand's language.
        recipients (list[str] | None | Unset): New recipients (1 to 20).
        time_zone (None | str | Unset):
    """

    day: int | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    frequency: DigestFrequency | None | Unset = UNSET
    hour: int | None | Unset = UNSET
    language: None | str | Unset = UNSET
    recipients: list[str] | None | Unset = UNSET
    time_zone: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        day: int | None | Unset
        if isinstance(self.day, Unset):
            day = UNSET
        else:
            day = self.day

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        frequency: None | str | Unset
        if isinstance(self.frequency, Unset):
            frequency = UNSET
        elif isinstance(self.frequency, DigestFrequency):
            frequency = self.frequency.value
        else:
            frequency = self.frequency

        hour: int | None | Unset
        if isinstance(self.hour, Unset):
            hour = UNSET
        else:
            hour = self.hour

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        recipients: list[str] | None | Unset
        if isinstance(self.recipients, Unset):
            recipients = UNSET
        elif isinstance(self.recipients, list):
            recipients = self.recipients

        else:
            recipients = self.recipients

        time_zone: None | str | Unset
        if isinstance(self.time_zone, Unset):
            time_zone = UNSET
        else:
            time_zone = self.time_zone

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if day is not UNSET:
            field_dict["day"] = day
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if frequency is not UNSET:
            field_dict["frequency"] = frequency
        if hour is not UNSET:
            field_dict["hour"] = hour
        if language is not UNSET:
            field_dict["language"] = language
        if recipients is not UNSET:
            field_dict["recipients"] = recipients
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_day(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        day = _parse_day(d.pop("day", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_frequency(data: object) -> DigestFrequency | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                frequency_type_0 = DigestFrequency(data)

                return frequency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DigestFrequency | None | Unset, data)

        frequency = _parse_frequency(d.pop("frequency", UNSET))

        def _parse_hour(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        hour = _parse_hour(d.pop("hour", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_recipients(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                recipients_type_0 = cast(list[str], data)

                return recipients_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        recipients = _parse_recipients(d.pop("recipients", UNSET))

        def _parse_time_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        time_zone = _parse_time_zone(d.pop("time_zone", UNSET))

        update_digest_request = cls(
            day=day,
            enabled=enabled,
            frequency=frequency,
            hour=hour,
            language=language,
            recipients=recipients,
            time_zone=time_zone,
        )

        return update_digest_request
