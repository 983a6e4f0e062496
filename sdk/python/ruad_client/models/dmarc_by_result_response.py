from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.counts import Counts


T = TypeVar("T", bound="DmarcByResultResponse")


@_attrs_define
class DmarcByResultResponse:
    """DMARC message totals by result.

    Attributes:
        disposition (Counts): Counts keyed by a value as reporters sent it (a disposition, a result, a result type).
        dkim_aligned (Counts): Counts keyed by a value as reporters sent it (a disposition, a result, a result type).
        dmarc_fail_messages (int):
        dmarc_pass_messages (int): Messages where DMARC-aligned DKIM or SPF passed.
        domain (str):
        from_ (str): First day (inclusive).
        spf_aligned (Counts): Counts keyed by a value as reporters sent it (a disposition, a result, a result type).
        to (str): Last day (inclusive).
        total_messages (int):
    """

    disposition: Counts
    dkim_aligned: Counts
    dmarc_fail_messages: int
    dmarc_pass_messages: int
    domain: str
    from_: str
    spf_aligned: Counts
    to: str
    total_messages: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        disposition = self.disposition.to_dict()

        dkim_aligned = self.dkim_aligned.to_dict()

        dmarc_fail_messages = self.dmarc_fail_messages

        dmarc_pass_messages = self.dmarc_pass_messages

        domain = self.domain

        from_ = self.from_

        spf_aligned = self.spf_aligned.to_dict()

        to = self.to

        total_messages = self.total_messages

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "disposition": disposition,
                "dkim_aligned": dkim_aligned,
                "dmarc_fail_messages": dmarc_fail_messages,
                "dmarc_pass_messages": dmarc_pass_messages,
                "domain": domain,
                "from": from_,
                "spf_aligned": spf_aligned,
                "to": to,
                "total_messages": total_messages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.counts import Counts

        d = dict(src_dict)
        disposition = Counts.from_dict(d.pop("disposition"))

        dkim_aligned = Counts.from_dict(d.pop("dkim_aligned"))

        dmarc_fail_messages = d.pop("dmarc_fail_messages")

        dmarc_pass_messages = d.pop("dmarc_pass_messages")

        domain = d.pop("domain")

        from_ = d.pop("from")

        spf_aligned = Counts.from_dict(d.pop("spf_aligned"))

        to = d.pop("to")

        total_messages = d.pop("total_messages")

        dmarc_by_result_response = cls(
            disposition=disposition,
            dkim_aligned=dkim_aligned,
            dmarc_fail_messages=dmarc_fail_messages,
            dmarc_pass_messages=dmarc_pass_messages,
            domain=domain,
            from_=from_,
            spf_aligned=spf_aligned,
            to=to,
            total_messages=total_messages,
        )

        dmarc_by_result_response.additional_properties = d
        return dmarc_by_result_response

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
