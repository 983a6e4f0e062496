from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.finding import Finding
    from ..models.publish_file import PublishFile
    from ..models.publish_record import PublishRecord


T = TypeVar("T", bound="Generated")


@_attrs_define
class Generated:
    """What a generator produced.

    Attributes:
        findings (list[Finding]): Advice about the inputs (never errors: invalid input is refused instead).
        records (list[PublishRecord]): Records to publish (e.g. the DMARC record and the `_report._dmarc` authorization
            record a third-party report destination needs).
        file (None | PublishFile | Unset):
        private_key_pem (None | str | Unset): A generated private key (DKIM), PEM. Shown once; ruad does not keep it.
    """

    findings: list[Finding]
    records: list[PublishRecord]
    file: None | PublishFile | Unset = UNSET
    private_key_pem: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.publish_file import PublishFile

        findings = []
        for findings_item_data in self.findings:
            findings_item = findings_item_data.to_dict()
            findings.append(findings_item)

        records = []
        for records_item_data in self.records:
            records_item = records_item_data.to_dict()
            records.append(records_item)

        file: dict[str, Any] | None | Unset
        if isinstance(self.file, Unset):
            file = UNSET
        elif isinstance(self.file, PublishFile):
            file = self.file.to_dict()
        else:
            file = self.file

        private_key_pem: None | str | Unset
        if isinstance(self.private_key_pem, Unset):
            private_key_pem = UNSET
        else:
            private_key_pem = self.private_key_pem

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "findings": findings,
                "records": records,
            }
        )
        if file is not UNSET:
            field_dict["file"] = file
        if private_key_pem is not UNSET:
            field_dict["private_key_pem"] = private_key_pem

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.finding import Finding
        from ..models.publish_file import PublishFile
        from ..models.publish_record import PublishRecord

        d = dict(src_dict)
        findings = []
        _findings = d.pop("findings")
        for findings_item_data in _findings:
            findings_item = Finding.from_dict(findings_item_data)

            findings.append(findings_item)

        records = []
        _records = d.pop("records")
        for records_item_data in _records:
            records_item = PublishRecord.from_dict(records_item_data)

            records.append(records_item)

        def _parse_file(data: object) -> None | PublishFile | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                file_type_0 = PublishFile.from_dict(data)

                return file_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PublishFile | Unset, data)

        file = _parse_file(d.pop("file", UNSET))

        def _parse_private_key_pem(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        private_key_pem = _parse_private_key_pem(d.pop("private_key_pem", UNSET))

        generated = cls(
            findings=findings,
            records=records,
            file=file,
            private_key_pem=private_key_pem,
        )

        generated.additional_properties = d
        return generated

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
