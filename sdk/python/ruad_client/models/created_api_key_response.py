from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreatedApiKeyResponse")


@_attrs_define
class CreatedApiKeyResponse:
    """A new API key with its secret, shown only once.

    Attributes:
        created_at (int):
        id (str):
        name (str):
        prefix (str): First characters of the key, to recognize it. Example: ruad_Xk3vQ9.
        role (Role): What a key or token may do. Ordered: `Reader < Writer < Admin`.
        tenant_id (str):
        key (str): The secret key: send it as `Authorization: Bearer <key>`. Not retrievable later.
        revoked_at (int | None | Unset): Unix time of revocation, if revoked.
    """

    created_at: int
    id: str
    name: str
    prefix: str
    role: Role
    tenant_id: str
    key: str
    revoked_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = self.id

        name = self.name

        prefix = self.prefix

        role = self.role.value

        tenant_id = self.tenant_id

        key = self.key

        revoked_at: int | None | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = self.revoked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "name": name,
                "prefix": prefix,
                "role": role,
                "tenant_id": tenant_id,
                "key": key,
            }
        )
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = d.pop("id")

        name = d.pop("name")

        prefix = d.pop("prefix")

        role = Role(d.pop("role"))

        tenant_id = d.pop("tenant_id")

        key = d.pop("key")

        def _parse_revoked_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))

        created_api_key_response = cls(
            created_at=created_at,
            id=id,
            name=name,
            prefix=prefix,
            role=role,
            tenant_id=tenant_id,
            key=key,
            revoked_at=revoked_at,
        )

        created_api_key_response.additional_properties = d
        return created_api_key_response

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
