from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.counts import Counts


T = TypeVar("T", bound="TimeseriesPoint")


@_attrs_define
class TimeseriesPoint:
    """The totals of one bucket. `start` and `end` are always present; the other fields are
    those of the requested kind only (`dmarc`: `messages` … `spf_aligned`; `tls`:
    `successful_sessions` … `failed_sessions_by_result_type`), each present in every point.

        Attributes:
            end (str): Last day of the bucket (inclusive; the range's last day for a clipped last week or month). Example:
                2026-11-08.
            start (str): First day of the bucket (inclusive; the range's first day for a clipped first week or month).
                Example: 2026-11-02.
            disposition (Counts | Unset): Counts keyed by a value as reporters sent it (a disposition, a result, a result
                type).
            dkim_aligned (Counts | Unset): Counts keyed by a value as reporters sent it (a disposition, a result, a result
                type).
            dmarc_fail_messages (int | Unset): dmarc: messages where neither passed.
            dmarc_pass_messages (int | Unset): dmarc: messages where DMARC-aligned DKIM or SPF passed.
            failed_sessions (int | Unset): tls: failed sessions.
            failed_sessions_by_result_type (Counts | Unset): Counts keyed by a value as reporters sent it (a disposition, a
                result, a result type).
            messages (int | Unset): dmarc: messages.
            spf_aligned (Counts | Unset): Counts keyed by a value as reporters sent it (a disposition, a result, a result
                type).
            successful_sessions (int | Unset): tls: successful sessions.
    """

    end: str
    start: str
    disposition: Counts | Unset = UNSET
    dkim_aligned: Counts | Unset = UNSET
    dmarc_fail_messages: int | Unset = UNSET
    dmarc_pass_messages: int | Unset = UNSET
    failed_sessions: int | Unset = UNSET
    failed_sessions_by_result_type: Counts | Unset = UNSET
    messages: int | Unset = UNSET
    spf_aligned: Counts | Unset = UNSET
    successful_sessions: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        end = self.end

        start = self.start

        disposition: dict[str, Any] | Unset = UNSET
        if not isinstance(self.disposition, Unset):
            disposition = self.disposition.to_dict()

        dkim_aligned: dict[str, Any] | Unset = UNSET
        if not isinstance(self.dkim_aligned, Unset):
            dkim_aligned = self.dkim_aligned.to_dict()

        dmarc_fail_messages = self.dmarc_fail_messages

        dmarc_pass_messages = self.dmarc_pass_messages

        failed_sessions = self.failed_sessions

        failed_sessions_by_result_type: dict[str, Any] | Unset = UNSET
        if not isinstance(self.failed_sessions_by_result_type, Unset):
            failed_sessions_by_result_type = (
                self.failed_sessions_by_result_type.to_dict()
            )

        messages = self.messages

        spf_aligned: dict[str, Any] | Unset = UNSET
        if not isinstance(self.spf_aligned, Unset):
            spf_aligned = self.spf_aligned.to_dict()

        successful_sessions = self.successful_sessions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "end": end,
                "start": start,
            }
        )
        if disposition is not UNSET:
            field_dict["disposition"] = disposition
        if dkim_aligned is not UNSET:
            field_dict["dkim_aligned"] = dkim_aligned
        if dmarc_fail_messages is not UNSET:
            field_dict["dmarc_fail_messages"] = dmarc_fail_messages
        if dmarc_pass_messages is not UNSET:
            field_dict["dmarc_pass_messages"] = dmarc_pass_messages
        if failed_sessions is not UNSET:
            field_dict["failed_sessions"] = failed_sessions
        if failed_sessions_by_result_type is not UNSET:
            field_dict["failed_sessions_by_result_type"] = (
                failed_sessions_by_result_type
            )
        if messages is not UNSET:
            field_dict["messages"] = messages
        if spf_aligned is not UNSET:
            field_dict["spf_aligned"] = spf_aligned
        if successful_sessions is not UNSET:
            field_dict["successful_sessions"] = successful_sessions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.counts import Counts

        d = dict(src_dict)
        end = d.pop("end")

        start = d.pop("start")

        _disposition = d.pop("disposition", UNSET)
        disposition: Counts | Unset
        if isinstance(_disposition, Unset):
            disposition = UNSET
        else:
            disposition = Counts.from_dict(_disposition)

        _dkim_aligned = d.pop("dkim_aligned", UNSET)
        dkim_aligned: Counts | Unset
        if isinstance(_dkim_aligned, Unset):
            dkim_aligned = UNSET
        else:
            dkim_aligned = Counts.from_dict(_dkim_aligned)

        dmarc_fail_messages = d.pop("dmarc_fail_messages", UNSET)

        dmarc_pass_messages = d.pop("dmarc_pass_messages", UNSET)

        failed_sessions = d.pop("failed_sessions", UNSET)

        _failed_sessions_by_result_type = d.pop("failed_sessions_by_result_type", UNSET)
        failed_sessions_by_result_type: Counts | Unset
        if isinstance(_failed_sessions_by_result_type, Unset):
            failed_sessions_by_result_type = UNSET
        else:
            failed_sessions_by_result_type = Counts.from_dict(
                _failed_sessions_by_result_type
            )

        messages = d.pop("messages", UNSET)

        _spf_aligned = d.pop("spf_aligned", UNSET)
        spf_aligned: Counts | Unset
        if isinstance(_spf_aligned, Unset):
            spf_aligned = UNSET
        else:
            spf_aligned = Counts.from_dict(_spf_aligned)

        successful_sessions = d.pop("successful_sessions", UNSET)

        timeseries_point = cls(
            end=end,
            start=start,
            disposition=disposition,
            dkim_aligned=dkim_aligned,
            dmarc_fail_messages=dmarc_fail_messages,
            dmarc_pass_messages=dmarc_pass_messages,
            failed_sessions=failed_sessions,
            failed_sessions_by_result_type=failed_sessions_by_result_type,
            messages=messages,
            spf_aligned=spf_aligned,
            successful_sessions=successful_sessions,
        )

        timeseries_point.additional_properties = d
        return timeseries_point

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
