from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.issue_code import IssueCode
from ..models.issue_severity import IssueSeverity
from ..models.issue_status import IssueStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.issue_response_evidence import IssueResponseEvidence
    from ..models.suggested_record import SuggestedRecord


T = TypeVar("T", bound="IssueResponse")


@_attrs_define
class IssueResponse:
    """One issue of a domain.

    Attributes:
        code (IssueCode): Stable identifier of a rule's conclusion: clients branch on it, so a code is never renamed
            or reused for another meaning.
        domain (str): The domain the issue is about.
        evidence (IssueResponseEvidence): The figures behind the conclusion, as of the last evaluation that found it:
            counts,
            sources (confirmed names, unconfirmed PTR names shown as such), reporters, report ids.
        explanation (str): What was seen and why it matters.
        first_seen_at (int): First detected (Unix time).
        id (str):
        last_seen_at (int): Last evaluation that found it (Unix time).
        remediation (str): What to do about it.
        severity (IssueSeverity): How urgent an issue is.
        status (IssueStatus): Where an issue is in its lifecycle.
        status_changed_at (int): Last change of status (Unix time).
        subject (str): What the issue is about within the domain: a service id (`sendgrid`), a reporter, an
            MX host; empty for the domain as a whole. (domain, code, subject) identifies the issue.
        tenant_id (str): The tenant owning the domain.
        title (str): One line.
        acknowledged_at (int | None | Unset):
        record (None | SuggestedRecord | Unset):
        resolved_at (int | None | Unset):
    """

    code: IssueCode
    domain: str
    evidence: IssueResponseEvidence
    explanation: str
    first_seen_at: int
    id: str
    last_seen_at: int
    remediation: str
    severity: IssueSeverity
    status: IssueStatus
    status_changed_at: int
    subject: str
    tenant_id: str
    title: str
    acknowledged_at: int | None | Unset = UNSET
    record: None | SuggestedRecord | Unset = UNSET
    resolved_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.suggested_record import SuggestedRecord

        code = self.code.value

        domain = self.domain

        evidence = self.evidence.to_dict()

        explanation = self.explanation

        first_seen_at = self.first_seen_at

        id = self.id

        last_seen_at = self.last_seen_at

        remediation = self.remediation

        severity = self.severity.value

        status = self.status.value

        status_changed_at = self.status_changed_at

        subject = self.subject

        tenant_id = self.tenant_id

        title = self.title

        acknowledged_at: int | None | Unset
        if isinstance(self.acknowledged_at, Unset):
            acknowledged_at = UNSET
        else:
            acknowledged_at = self.acknowledged_at

        record: dict[str, Any] | None | Unset
        if isinstance(self.record, Unset):
            record = UNSET
        elif isinstance(self.record, SuggestedRecord):
            record = self.record.to_dict()
        else:
            record = self.record

        resolved_at: int | None | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        else:
            resolved_at = self.resolved_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "domain": domain,
                "evidence": evidence,
                "explanation": explanation,
                "first_seen_at": first_seen_at,
                "id": id,
                "last_seen_at": last_seen_at,
                "remediation": remediation,
                "severity": severity,
                "status": status,
                "status_changed_at": status_changed_at,
                "subject": subject,
                "tenant_id": tenant_id,
                "title": title,
            }
        )
        if acknowledged_at is not UNSET:
            field_dict["acknowledged_at"] = acknowledged_at
        if record is not UNSET:
            field_dict["record"] = record
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.issue_response_evidence import IssueResponseEvidence
        from ..models.suggested_record import SuggestedRecord

        d = dict(src_dict)
        code = IssueCode(d.pop("code"))

        domain = d.pop("domain")

        evidence = IssueResponseEvidence.from_dict(d.pop("evidence"))

        explanation = d.pop("explanation")

        first_seen_at = d.pop("first_seen_at")

        id = d.pop("id")

        last_seen_at = d.pop("last_seen_at")

        remediation = d.pop("remediation")

        severity = IssueSeverity(d.pop("severity"))

        status = IssueStatus(d.pop("status"))

        status_changed_at = d.pop("status_changed_at")

        subject = d.pop("subject")

        tenant_id = d.pop("tenant_id")

        title = d.pop("title")

        def _parse_acknowledged_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at", UNSET))

        def _parse_record(data: object) -> None | SuggestedRecord | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                record_type_0 = SuggestedRecord.from_dict(data)

                return record_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SuggestedRecord | Unset, data)

        record = _parse_record(d.pop("record", UNSET))

        def _parse_resolved_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))

        issue_response = cls(
            code=code,
            domain=domain,
            evidence=evidence,
            explanation=explanation,
            first_seen_at=first_seen_at,
            id=id,
            last_seen_at=last_seen_at,
            remediation=remediation,
            severity=severity,
            status=status,
            status_changed_at=status_changed_at,
            subject=subject,
            tenant_id=tenant_id,
            title=title,
            acknowledged_at=acknowledged_at,
            record=record,
            resolved_at=resolved_at,
        )

        issue_response.additional_properties = d
        return issue_response

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
