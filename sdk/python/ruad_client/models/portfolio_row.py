from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attention_reason import AttentionReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.issue_severity_counts import IssueSeverityCounts


T = TypeVar("T", bound="PortfolioRow")


@_attrs_define
class PortfolioRow:
    """One domain of the portfolio.

    Attributes:
        attention_reasons (list[AttentionReason]): Why it needs attention, most serious first; empty when it does not.
        dmarc_pass_messages (int): Of those, messages that passed DMARC (DKIM or SPF aligned).
        domain (str):  Example: example.com.
        domain_id (str):
        messages (int): DMARC messages reported in the period (current report versions).
        needs_attention (bool):
        open_issues (IssueSeverityCounts): Unresolved (open or acknowledged) issues of a domain by severity.
        tenant_id (str): The tenant that registered the domain.
        tls_failed_sessions (int): Failed TLS sessions reported in the period.
        tls_successful_sessions (int): Successful TLS sessions reported in the period (SMTP TLS reports).
        dmarc_checked_at (int | None | Unset): When that DNS check ran (Unix seconds); `null` when never (always
            present).
        dmarc_policy (None | str | Unset): The published DMARC policy (`none`, `quarantine`, `reject`), from the `p` tag
            of
            the domain's latest stored DMARC DNS check; `null` when that check found no valid
            policy or the domain was never checked (always present). Example: quarantine.
        last_report_at (int | None | Unset): When the domain's newest stored report arrived (Unix seconds); `null`
            before the
            first (always present).
        pass_rate (float | None | Unset): `dmarc_pass_messages / messages`, 0 to 1; `null` without messages (always
            present).
    """

    attention_reasons: list[AttentionReason]
    dmarc_pass_messages: int
    domain: str
    domain_id: str
    messages: int
    needs_attention: bool
    open_issues: IssueSeverityCounts
    tenant_id: str
    tls_failed_sessions: int
    tls_successful_sessions: int
    dmarc_checked_at: int | None | Unset = UNSET
    dmarc_policy: None | str | Unset = UNSET
    last_report_at: int | None | Unset = UNSET
    pass_rate: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attention_reasons = []
        for attention_reasons_item_data in self.attention_reasons:
            attention_reasons_item = attention_reasons_item_data.value
            attention_reasons.append(attention_reasons_item)

        dmarc_pass_messages = self.dmarc_pass_messages

        domain = self.domain

        domain_id = self.domain_id

        messages = self.messages

        needs_attention = self.needs_attention

        open_issues = self.open_issues.to_dict()

        tenant_id = self.tenant_id

        tls_failed_sessions = self.tls_failed_sessions

        tls_successful_sessions = self.tls_successful_sessions

        dmarc_checked_at: int | None | Unset
        if isinstance(self.dmarc_checked_at, Unset):
            dmarc_checked_at = UNSET
        else:
            dmarc_checked_at = self.dmarc_checked_at

        dmarc_policy: None | str | Unset
        if isinstance(self.dmarc_policy, Unset):
            dmarc_policy = UNSET
        else:
            dmarc_policy = self.dmarc_policy

        last_report_at: int | None | Unset
        if isinstance(self.last_report_at, Unset):
            last_report_at = UNSET
        else:
            last_report_at = self.last_report_at

        pass_rate: float | None | Unset
        if isinstance(self.pass_rate, Unset):
            pass_rate = UNSET
        else:
            pass_rate = self.pass_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attention_reasons": attention_reasons,
                "dmarc_pass_messages": dmarc_pass_messages,
                "domain": domain,
                "domain_id": domain_id,
                "messages": messages,
                "needs_attention": needs_attention,
                "open_issues": open_issues,
                "tenant_id": tenant_id,
                "tls_failed_sessions": tls_failed_sessions,
                "tls_successful_sessions": tls_successful_sessions,
            }
        )
        if dmarc_checked_at is not UNSET:
            field_dict["dmarc_checked_at"] = dmarc_checked_at
        if dmarc_policy is not UNSET:
            field_dict["dmarc_policy"] = dmarc_policy
        if last_report_at is not UNSET:
            field_dict["last_report_at"] = last_report_at
        if pass_rate is not UNSET:
            field_dict["pass_rate"] = pass_rate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.issue_severity_counts import IssueSeverityCounts

        d = dict(src_dict)
        attention_reasons = []
        _attention_reasons = d.pop("attention_reasons")
        for attention_reasons_item_data in _attention_reasons:
            attention_reasons_item = AttentionReason(attention_reasons_item_data)

            attention_reasons.append(attention_reasons_item)

        dmarc_pass_messages = d.pop("dmarc_pass_messages")

        domain = d.pop("domain")

        domain_id = d.pop("domain_id")

        messages = d.pop("messages")

        needs_attention = d.pop("needs_attention")

        open_issues = IssueSeverityCounts.from_dict(d.pop("open_issues"))

        tenant_id = d.pop("tenant_id")

        tls_failed_sessions = d.pop("tls_failed_sessions")

        tls_successful_sessions = d.pop("tls_successful_sessions")

        def _parse_dmarc_checked_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        dmarc_checked_at = _parse_dmarc_checked_at(d.pop("dmarc_checked_at", UNSET))

        def _parse_dmarc_policy(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dmarc_policy = _parse_dmarc_policy(d.pop("dmarc_policy", UNSET))

        def _parse_last_report_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_report_at = _parse_last_report_at(d.pop("last_report_at", UNSET))

        def _parse_pass_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        pass_rate = _parse_pass_rate(d.pop("pass_rate", UNSET))

        portfolio_row = cls(
            attention_reasons=attention_reasons,
            dmarc_pass_messages=dmarc_pass_messages,
            domain=domain,
            domain_id=domain_id,
            messages=messages,
            needs_attention=needs_attention,
            open_issues=open_issues,
            tenant_id=tenant_id,
            tls_failed_sessions=tls_failed_sessions,
            tls_successful_sessions=tls_successful_sessions,
            dmarc_checked_at=dmarc_checked_at,
            dmarc_policy=dmarc_policy,
            last_report_at=last_report_at,
            pass_rate=pass_rate,
        )

        portfolio_row.additional_properties = d
        return portfolio_row

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
