from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.digest_frequency import DigestFrequency
from ..types import UNSET, Unset

T = TypeVar("T", bound="DigestResponse")


@_attrs_define
class DigestResponse:
    """A scheduled digest.

    Attributes:
        created_at (int):
        day (int): Weekly: ISO weekday (1 = Monday … 7 = Sunday); monthly: day of the month (1 to 28). Example: 1.
        enabled (bool): A disabled digest is not sent on schedule (a send now still is).
        frequency (DigestFrequency): How often a digest is sent.
        hour (int): Local hour (0 to 23) in `time_zone`. Example: 8.
        id (str):
        next_run_at (int): Unix time of the next scheduled send.
        recipients (list[str]): Where the digest is mailed. Example: ['security@customer.example'].
        tenant_id (str): Owning tenant: the domain's tenant, or the tenant whose portfolio is sent. Its brand
            is the mail's.
        time_zone (str): IANA time zone the day and hour are in. Example: Europe/Amsterdam.
        updated_at (int):
        domain_id (None | str | Unset): The domain reported on; `null`: the tenant's portfolio (every domain of its
            subtree).
        language (None | str | Unset): Language of the mail and documents (`en`, `nl`); `null`: the brand's. Example:
            nl.
        last_run_at (int | None | Unset): Unix time of the last scheduled send queued.
    """

    created_at: int
    day: int
    enabled: bool
    frequency: DigestFrequency
    hour: int
    id: str
    next_run_at: int
    recipients: list[str]
    tenant_id: str
    time_zone: str
    updated_at: int
    domain_id: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    last_run_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        day = self.day

        enabled = self.enabled

        frequency = self.frequency.value

        hour = self.hour

        id = self.id

        next_run_at = self.next_run_at

        recipients = self.recipients

        tenant_id = self.tenant_id

        time_zone = self.time_zone

        updated_at = self.updated_at

        domain_id: None | str | Unset
        if isinstance(self.domain_id, Unset):
            domain_id = UNSET
        else:
            domain_id = self.domain_id

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        last_run_at: int | None | Unset
        if isinstance(self.last_run_at, Unset):
            last_run_at = UNSET
        else:
            last_run_at = self.last_run_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "day": day,
                "enabled": enabled,
                "frequency": frequency,
                "hour": hour,
                "id": id,
                "next_run_at": next_run_at,
                "recipients": recipients,
                "tenant_id": tenant_id,
                "time_zone": time_zone,
                "updated_at": updated_at,
            }
        )
        if domain_id is not UNSET:
            field_dict["domain_id"] = domain_id
        if language is not UNSET:
            field_dict["language"] = language
        if last_run_at is not UNSET:
            field_dict["last_run_at"] = last_run_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        day = d.pop("day")

        enabled = d.pop("enabled")

        frequency = DigestFrequency(d.pop("frequency"))

        hour = d.pop("hour")

        id = d.pop("id")

        next_run_at = d.pop("next_run_at")

        recipients = cast(list[str], d.pop("recipients"))

        tenant_id = d.pop("tenant_id")

        time_zone = d.pop("time_zone")

        updated_at = d.pop("updated_at")

        def _parse_domain_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain_id = _parse_domain_id(d.pop("domain_id", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_last_run_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_run_at = _parse_last_run_at(d.pop("last_run_at", UNSET))

        digest_response = cls(
            created_at=created_at,
            day=day,
            enabled=enabled,
            frequency=frequency,
            hour=hour,
            id=id,
            next_run_at=next_run_at,
            recipients=recipients,
            tenant_id=tenant_id,
            time_zone=time_zone,
            updated_at=updated_at,
            domain_id=domain_id,
            language=language,
            last_run_at=last_run_at,
        )

        digest_response.additional_properties = d
        return digest_response

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
