from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DomainResponse")


@_attrs_define
class DomainResponse:
    """A registered domain.

    Attributes:
        created_at (int):
        id (str):
        ingest_token (str): Secret token of this domain's RFC 8460 HTTPS report receiver.
        name (str):  Example: example.com.
        tenant_id (str):
        tlsrpt_ingest_path (str): Path to publish in the domain's TLS-RPT record as `rua=https://<host><path>`. Example:
            /api/v1/tlsrpt/3q2-7uX….
    """

    created_at: int
    id: str
    ingest_token: str
    name: str
    tenant_id: str
    tlsrpt_ingest_path: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = self.id

        ingest_token = self.ingest_token

        name = self.name

        tenant_id = self.tenant_id

        tlsrpt_ingest_path = self.tlsrpt_ingest_path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "ingest_token": ingest_token,
                "name": name,
                "tenant_id": tenant_id,
                "tlsrpt_ingest_path": tlsrpt_ingest_path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = d.pop("id")

        ingest_token = d.pop("ingest_token")

        name = d.pop("name")

        tenant_id = d.pop("tenant_id")

        tlsrpt_ingest_path = d.pop("tlsrpt_ingest_path")

        domain_response = cls(
            created_at=created_at,
            id=id,
            ingest_token=ingest_token,
            name=name,
            tenant_id=tenant_id,
            tlsrpt_ingest_path=tlsrpt_ingest_path,
        )

        domain_response.additional_properties = d
        return domain_response

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
