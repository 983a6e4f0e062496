from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="XmlElement")


@_attrs_define
class XmlElement:
    """An element the schema does not define (or an RFC 9990 `<extension>` child), kept so
    that nothing in a report is lost.

        Attributes:
            name (str): Qualified element name as written (e.g. `vendor:category`).
            attributes (list[list[str]] | Unset): Attributes as written, as `[name, value]` pairs.
            children (list[XmlElement] | Unset): Child elements.
            text (str | Unset): Trimmed text content.
    """

    name: str
    attributes: list[list[str]] | Unset = UNSET
    children: list[XmlElement] | Unset = UNSET
    text: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        attributes: list[list[str]] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = []
            for attributes_item_data in self.attributes:
                attributes_item = attributes_item_data

                attributes.append(attributes_item)

        children: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.children, Unset):
            children = []
            for children_item_data in self.children:
                children_item = children_item_data.to_dict()
                children.append(children_item)

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if children is not UNSET:
            field_dict["children"] = children
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        _attributes = d.pop("attributes", UNSET)
        attributes: list[list[str]] | Unset = UNSET
        if _attributes is not UNSET:
            attributes = []
            for attributes_item_data in _attributes:
                attributes_item = cast(list[str], attributes_item_data)

                attributes.append(attributes_item)

        _children = d.pop("children", UNSET)
        children: list[XmlElement] | Unset = UNSET
        if _children is not UNSET:
            children = []
            for children_item_data in _children:
                children_item = XmlElement.from_dict(children_item_data)

                children.append(children_item)

        text = d.pop("text", UNSET)

        xml_element = cls(
            name=name,
            attributes=attributes,
            children=children,
            text=text,
        )

        xml_element.additional_properties = d
        return xml_element

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
