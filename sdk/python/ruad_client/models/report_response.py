from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_kind import ReportKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.aggregate_report import AggregateReport
    from ..models.tls_report import TlsReport
    from ..models.warning import Warning_


T = TypeVar("T", bound="ReportResponse")


@_attrs_define
class ReportResponse:
    """
    Attributes:
        begin (int): Start of the reported range (Unix time).
        conflict (bool): Another version with the same key and other content exists.
        created_at (int):
        domain_id (str):
        end (int): End of the reported range (Unix time).
        id (str):
        kind (ReportKind): Kind of report.
        messages (int): DMARC messages, or TLS sessions.
        org_name (str): Reporting organization, as sent.
        policy_domain (str): Policy domain named in the report.
        records (int): DMARC records, or TLS policies.
        report_id (str): The reporter's report id.
        warnings (list[Warning_]): Tolerances applied while parsing.
        report (AggregateReport | TlsReport): The normalized report content.
        part (None | str | Unset): Where inside its upload the report was found.
        records_expired_at (int | None | Unset): When the tenant's retention deleted the report's records (DMARC) or
            policies (TLS)
            and its original upload; it still counts in the aggregates until its rollups expire.
        superseded_by (None | str | Unset): Id of the version that replaced this one in aggregates.
    """

    begin: int
    conflict: bool
    created_at: int
    domain_id: str
    end: int
    id: str
    kind: ReportKind
    messages: int
    org_name: str
    policy_domain: str
    records: int
    report_id: str
    warnings: list[Warning_]
    report: AggregateReport | TlsReport
    part: None | str | Unset = UNSET
    records_expired_at: int | None | Unset = UNSET
    superseded_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.aggregate_report import AggregateReport

        begin = self.begin

        conflict = self.conflict

        created_at = self.created_at

        domain_id = self.domain_id

        end = self.end

        id = self.id

        kind = self.kind.value

        messages = self.messages

        org_name = self.org_name

        policy_domain = self.policy_domain

        records = self.records

        report_id = self.report_id

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        report: dict[str, Any]
        if isinstance(self.report, AggregateReport):
            report = self.report.to_dict()
        else:
            report = self.report.to_dict()

        part: None | str | Unset
        if isinstance(self.part, Unset):
            part = UNSET
        else:
            part = self.part

        records_expired_at: int | None | Unset
        if isinstance(self.records_expired_at, Unset):
            records_expired_at = UNSET
        else:
            records_expired_at = self.records_expired_at

        superseded_by: None | str | Unset
        if isinstance(self.superseded_by, Unset):
            superseded_by = UNSET
        else:
            superseded_by = self.superseded_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "begin": begin,
                "conflict": conflict,
                "created_at": created_at,
                "domain_id": domain_id,
                "end": end,
                "id": id,
                "kind": kind,
                "messages": messages,
                "org_name": org_name,
                "policy_domain": policy_domain,
                "records": records,
                "report_id": report_id,
                "warnings": warnings,
                "report": report,
            }
        )
        if part is not UNSET:
            field_dict["part"] = part
        if records_expired_at is not UNSET:
            field_dict["records_expired_at"] = records_expired_at
        if superseded_by is not UNSET:
            field_dict["superseded_by"] = superseded_by

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.aggregate_report import AggregateReport
        from ..models.tls_report import TlsReport
        from ..models.warning import Warning_

        d = dict(src_dict)
        begin = d.pop("begin")

        conflict = d.pop("conflict")

        created_at = d.pop("created_at")

        domain_id = d.pop("domain_id")

        end = d.pop("end")

        id = d.pop("id")

        kind = ReportKind(d.pop("kind"))

        messages = d.pop("messages")

        org_name = d.pop("org_name")

        policy_domain = d.pop("policy_domain")

        records = d.pop("records")

        report_id = d.pop("report_id")

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = Warning_.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        def _parse_report(data: object) -> AggregateReport | TlsReport:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_report_content_type_0 = AggregateReport.from_dict(
                    data
                )

                return componentsschemas_report_content_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_report_content_type_1 = TlsReport.from_dict(data)

            return componentsschemas_report_content_type_1

        report = _parse_report(d.pop("report"))

        def _parse_part(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        part = _parse_part(d.pop("part", UNSET))

        def _parse_records_expired_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        records_expired_at = _parse_records_expired_at(
            d.pop("records_expired_at", UNSET)
        )

        def _parse_superseded_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        superseded_by = _parse_superseded_by(d.pop("superseded_by", UNSET))

        report_response = cls(
            begin=begin,
            conflict=conflict,
            created_at=created_at,
            domain_id=domain_id,
            end=end,
            id=id,
            kind=kind,
            messages=messages,
            org_name=org_name,
            policy_domain=policy_domain,
            records=records,
            report_id=report_id,
            warnings=warnings,
            report=report,
            part=part,
            records_expired_at=records_expired_at,
            superseded_by=superseded_by,
        )

        report_response.additional_properties = d
        return report_response

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
