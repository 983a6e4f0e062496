from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.aggregate_schema import AggregateSchema
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.policy_published import PolicyPublished
    from ..models.report_metadata import ReportMetadata
    from ..models.xml_element import XmlElement


T = TypeVar("T", bound="AggregateHeader")


@_attrs_define
class AggregateHeader:
    """Everything of an aggregate report except its records.

    Attributes:
        policy_published (PolicyPublished): `policy_published`: the DMARC record the receiver found.
        report_metadata (ReportMetadata): `report_metadata`.
        schema (AggregateSchema): Which schema generation an aggregate report follows.
        extensions (list[XmlElement] | Unset): `<extension>` content and unknown top-level elements.
        namespace (None | str | Unset): Default XML namespace of `<feedback>`.
        version (None | str | Unset): `<version>` as sent.
    """

    policy_published: PolicyPublished
    report_metadata: ReportMetadata
    schema: AggregateSchema
    extensions: list[XmlElement] | Unset = UNSET
    namespace: None | str | Unset = UNSET
    version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        policy_published = self.policy_published.to_dict()

        report_metadata = self.report_metadata.to_dict()

        schema = self.schema.value

        extensions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.extensions, Unset):
            extensions = []
            for extensions_item_data in self.extensions:
                extensions_item = extensions_item_data.to_dict()
                extensions.append(extensions_item)

        namespace: None | str | Unset
        if isinstance(self.namespace, Unset):
            namespace = UNSET
        else:
            namespace = self.namespace

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "policy_published": policy_published,
                "report_metadata": report_metadata,
                "schema": schema,
            }
        )
        if extensions is not UNSET:
            field_dict["extensions"] = extensions
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.policy_published import PolicyPublished
        from ..models.report_metadata import ReportMetadata
        from ..models.xml_element import XmlElement

        d = dict(src_dict)
        policy_published = PolicyPublished.from_dict(d.pop("policy_published"))

        report_metadata = ReportMetadata.from_dict(d.pop("report_metadata"))

        schema = AggregateSchema(d.pop("schema"))

        _extensions = d.pop("extensions", UNSET)
        extensions: list[XmlElement] | Unset = UNSET
        if _extensions is not UNSET:
            extensions = []
            for extensions_item_data in _extensions:
                extensions_item = XmlElement.from_dict(extensions_item_data)

                extensions.append(extensions_item)

        def _parse_namespace(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        namespace = _parse_namespace(d.pop("namespace", UNSET))

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        aggregate_header = cls(
            policy_published=policy_published,
            report_metadata=report_metadata,
            schema=schema,
            extensions=extensions,
            namespace=namespace,
            version=version,
        )

        aggregate_header.additional_properties = d
        return aggregate_header

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
