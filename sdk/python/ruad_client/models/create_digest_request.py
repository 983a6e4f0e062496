from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.digest_frequency import DigestFrequency
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateDigestRequest")


@_attrs_define
class CreateDigestRequest:
    """
    Attributes:
        day (int): Weekly: ISO weekday (1 = Monday … 7 = Sunday); monthly: day of the month (1 to 28). Example: 1.
        frequency (DigestFrequency): How often a digest is sent.
        hour (int): Local hour (0 to 23) in `time_zone`. Example: 8.
        recipients (list[str]): 1 to 20 email addresses (plain addresses, no display names). Example:
            ['security@customer.example'].
        domain (None | str | Unset): The domain to report on (name or id, in the caller's subtree); omit for the
            portfolio of `tenant_id`. Example: example.com.
        enabled (bool | None | Unset): Default true.
        language (None | str | Unset): `en` or `nl` (default: the brand's language).
        tenant_id (None | str | Unset): For a portfolio digest: the tenant whose subtree it covers (default: the
            caller's).
            Not allowed with `domain` (a domain's digest belongs to the domain's tenant).
        time_zone (None | str | Unset): IANA time zone name (default `UTC`). Example: Europe/Amsterdam.
    """

    day: int
    frequency: DigestFrequency
    hour: int
    recipients: list[str]
    domain: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    language: None | str | Unset = UNSET
    tenant_id: None | str | Unset = UNSET
    time_zone: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        day = self.day

        frequency = self.frequency.value

        hour = self.hour

        recipients = self.recipients

        domain: None | str | Unset
        if isinstance(self.domain, Unset):
            domain = UNSET
        else:
            domain = self.domain

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        else:
            tenant_id = self.tenant_id

        time_zone: None | str | Unset
        if isinstance(self.time_zone, Unset):
            time_zone = UNSET
        else:
            time_zone = self.time_zone

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "day": day,
                "frequency": frequency,
                "hour": hour,
                "recipients": recipients,
            }
        )
        if domain is not UNSET:
            field_dict["domain"] = domain
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if language is not UNSET:
            field_dict["language"] = language
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        day = d.pop("day")

        frequency = DigestFrequency(d.pop("frequency"))

        hour = d.pop("hour")

        recipients = cast(list[str], d.pop("recipients"))

        def _parse_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain = _parse_domain(d.pop("domain", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_tenant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id", UNSET))

        def _parse_time_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        time_zone = _parse_time_zone(d.pop("time_zone", UNSET))

        create_digest_request = cls(
            day=day,
            frequency=frequency,
            hour=hour,
            recipients=recipients,
            domain=domain,
            enabled=enabled,
            language=language,
            tenant_id=tenant_id,
            time_zone=time_zone,
        )

        return create_digest_request
