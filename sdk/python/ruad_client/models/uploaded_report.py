from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_kind import ReportKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadedReport")


@_attrs_define
class UploadedReport:
    """One report found in an upload.

    Attributes:
        conflict (bool): A report with the same key but different content exists; this version supersedes it.
        domain (str): Registered domain it was filed under.
        duplicate (bool): The same report (same reporter, report id, domain, date range and content) was
            already stored; nothing new was stored.
        id (str): Id of the stored report (of the already stored one when `duplicate`).
        kind (ReportKind): Kind of report.
        policy_domain (str): Policy domain named in the report.
        file (None | str | Unset): Multipart field file name, when uploaded as multipart.
        part (None | str | Unset): Where inside the upload the report was found (zip member, attachment…).
    """

    conflict: bool
    domain: str
    duplicate: bool
    id: str
    kind: ReportKind
    policy_domain: str
    file: None | str | Unset = UNSET
    part: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conflict = self.conflict

        domain = self.domain

        duplicate = self.duplicate

        id = self.id

        kind = self.kind.value

        policy_domain = self.policy_domain

        file: None | str | Unset
        if isinstance(self.file, Unset):
            file = UNSET
        else:
            file = self.file

        part: None | str | Unset
        if isinstance(self.part, Unset):
            part = UNSET
        else:
            part = self.part

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conflict": conflict,
                "domain": domain,
                "duplicate": duplicate,
                "id": id,
                "kind": kind,
                "policy_domain": policy_domain,
            }
        )
        if file is not UNSET:
            field_dict["file"] = file
        if part is not UNSET:
            field_dict["part"] = part

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        conflict = d.pop("conflict")

        domain = d.pop("domain")

        duplicate = d.pop("duplicate")

        id = d.pop("id")

        kind = ReportKind(d.pop("kind"))

        policy_domain = d.pop("policy_domain")

        def _parse_file(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        file = _parse_file(d.pop("file", UNSET))

        def _parse_part(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        part = _parse_part(d.pop("part", UNSET))

        uploaded_report = cls(
            conflict=conflict,
            domain=domain,
            duplicate=duplicate,
            id=id,
            kind=kind,
            policy_domain=policy_domain,
            file=file,
            part=part,
        )

        uploaded_report.additional_properties = d
        return uploaded_report

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
