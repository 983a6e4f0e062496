from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role

T = TypeVar("T", bound="TokenResponse")


@_attrs_define
class TokenResponse:
    """
    Attributes:
        expires_at (int): Unix time the token expires.
        role (Role): What a key or token may do. Ordered: `Reader < Writer < Admin`.
        tenant_id (str):
        token (str): The JWT; send it as `Authorization: Bearer <token>`.
        token_type (str):  Example: Bearer.
    """

    expires_at: int
    role: Role
    tenant_id: str
    token: str
    token_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at

        role = self.role.value

        tenant_id = self.tenant_id

        token = self.token

        token_type = self.token_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_at": expires_at,
                "role": role,
                "tenant_id": tenant_id,
                "token": token,
                "token_type": token_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        expires_at = d.pop("expires_at")

        role = Role(d.pop("role"))

        tenant_id = d.pop("tenant_id")

        token = d.pop("token")

        token_type = d.pop("token_type")

        token_response = cls(
            expires_at=expires_at,
            role=role,
            tenant_id=tenant_id,
            token=token,
            token_type=token_type,
        )

        token_response.additional_properties = d
        return token_response

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
