from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.check_kind import CheckKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.check_report_details import CheckReportDetails
    from ..models.check_report_parsed_type_0 import CheckReportParsedType0
    from ..models.finding import Finding
    from ..models.query import Query


T = TypeVar("T", bound="CheckReport")


@_attrs_define
class CheckReport:
    """The result of one check.

    Attributes:
        details (CheckReportDetails): Kind-specific details: the DMARC discovery path, the SPF include tree, the MTA-STS
            policy and MX coverage, the PTR names of an address...
            Always an object (empty when a check has nothing to add), as the schema says.
        findings (list[Finding]):
        kind (CheckKind): The kinds of check.
        name (str): The name whose records are reported (e.g. `_dmarc.example.com`).
        queries (list[Query]): The DNS questions asked, in order.
        records (list[str]): Every record found there, as published (also invalid ones).
        subject (str): The domain (or, for FCrDNS, the IP address) checked.
        parsed (CheckReportParsedType0 | None | Unset): The parsed view of the record receivers use, when there is one.
    """

    details: CheckReportDetails
    findings: list[Finding]
    kind: CheckKind
    name: str
    queries: list[Query]
    records: list[str]
    subject: str
    parsed: CheckReportParsedType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.check_report_parsed_type_0 import CheckReportParsedType0

        details = self.details.to_dict()

        findings = []
        for findings_item_data in self.findings:
            findings_item = findings_item_data.to_dict()
            findings.append(findings_item)

        kind = self.kind.value

        name = self.name

        queries = []
        for queries_item_data in self.queries:
            queries_item = queries_item_data.to_dict()
            queries.append(queries_item)

        records = self.records

        subject = self.subject

        parsed: dict[str, Any] | None | Unset
        if isinstance(self.parsed, Unset):
            parsed = UNSET
        elif isinstance(self.parsed, CheckReportParsedType0):
            parsed = self.parsed.to_dict()
        else:
            parsed = self.parsed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "details": details,
                "findings": findings,
                "kind": kind,
                "name": name,
                "queries": queries,
                "records": records,
                "subject": subject,
            }
        )
        if parsed is not UNSET:
            field_dict["parsed"] = parsed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.check_report_details import CheckReportDetails
        from ..models.check_report_parsed_type_0 import CheckReportParsedType0
        from ..models.finding import Finding
        from ..models.query import Query

        d = dict(src_dict)
        details = CheckReportDetails.from_dict(d.pop("details"))

        findings = []
        _findings = d.pop("findings")
        for findings_item_data in _findings:
            findings_item = Finding.from_dict(findings_item_data)

            findings.append(findings_item)

        kind = CheckKind(d.pop("kind"))

        name = d.pop("name")

        queries = []
        _queries = d.pop("queries")
        for queries_item_data in _queries:
            queries_item = Query.from_dict(queries_item_data)

            queries.append(queries_item)

        records = cast(list[str], d.pop("records"))

        subject = d.pop("subject")

        def _parse_parsed(data: object) -> CheckReportParsedType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parsed_type_0 = CheckReportParsedType0.from_dict(data)

                return parsed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CheckReportParsedType0 | None | Unset, data)

        parsed = _parse_parsed(d.pop("parsed", UNSET))

        check_report = cls(
            details=details,
            findings=findings,
            kind=kind,
            name=name,
            queries=queries,
            records=records,
            subject=subject,
            parsed=parsed,
        )

        check_report.additional_properties = d
        return check_report

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
