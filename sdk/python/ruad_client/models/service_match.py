from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.category import Category
from ..models.matched_by import MatchedBy

T = TypeVar("T", bound="ServiceMatch")


@_attrs_define
class ServiceMatch:
    """The service behind a source, and the evidence that named it.

    Attributes:
        category (Category): What kind of service it is. Hosting providers are generic infrastructure, not a service
            sending on the customer's behalf: the customer (or a vendor of theirs) runs the mail
            server there.
        id (str): [`Service::id`].
        matched_by (MatchedBy): Which kind of evidence named the service.
        matched_value (str): The evidence that matched, normalized (lower-case, no trailing dot): the confirmed PTR
            name, the DKIM domain or the SPF domain.
        name (str): [`Service::name`].
    """

    category: Category
    id: str
    matched_by: MatchedBy
    matched_value: str
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        id = self.id

        matched_by = self.matched_by.value

        matched_value = self.matched_value

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "id": id,
                "matched_by": matched_by,
                "matched_value": matched_value,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        category = Category(d.pop("category"))

        id = d.pop("id")

        matched_by = MatchedBy(d.pop("matched_by"))

        matched_value = d.pop("matched_value")

        name = d.pop("name")

        service_match = cls(
            category=category,
            id=id,
            matched_by=matched_by,
            matched_value=matched_value,
            name=name,
        )

        service_match.additional_properties = d
        return service_match

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
