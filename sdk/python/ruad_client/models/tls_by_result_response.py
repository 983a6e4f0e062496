from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.counts import Counts


T = TypeVar("T", bound="TlsByResultResponse")


@_attrs_define
class TlsByResultResponse:
    """TLS session totals by result.

    Attributes:
        domain (str):
        failed_sessions (int):
        failed_sessions_by_result_type (Counts): Counts keyed by a value as reporters sent it (a disposition, a result,
            a result type).
        from_ (str):
        successful_sessions (int):
        to (str):
        total_sessions (int):
    """

    domain: str
    failed_sessions: int
    failed_sessions_by_result_type: Counts
    from_: str
    successful_sessions: int
    to: str
    total_sessions: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        failed_sessions = self.failed_sessions

        failed_sessions_by_result_type = self.failed_sessions_by_result_type.to_dict()

        from_ = self.from_

        successful_sessions = self.successful_sessions

        to = self.to

        total_sessions = self.total_sessions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "domain": domain,
                "failed_sessions": failed_sessions,
                "failed_sessions_by_result_type": failed_sessions_by_result_type,
                "from": from_,
                "successful_sessions": successful_sessions,
                "to": to,
                "total_sessions": total_sessions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.counts import Counts

        d = dict(src_dict)
        domain = d.pop("domain")

        failed_sessions = d.pop("failed_sessions")

        failed_sessions_by_result_type = Counts.from_dict(
            d.pop("failed_sessions_by_result_type")
        )

        from_ = d.pop("from")

        successful_sessions = d.pop("successful_sessions")

        to = d.pop("to")

        total_sessions = d.pop("total_sessions")

        tls_by_result_response = cls(
            domain=domain,
            failed_sessions=failed_sessions,
            failed_sessions_by_result_type=failed_sessions_by_result_type,
            from_=from_,
            successful_sessions=successful_sessions,
            to=to,
            total_sessions=total_sessions,
        )

        tls_by_result_response.additional_properties = d
        return tls_by_result_response

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
