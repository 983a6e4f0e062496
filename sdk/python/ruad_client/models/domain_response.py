from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DomainResponse")


@_attrs_define
class DomainResponse:
    """A registered domain.

    Attributes:
        created_at (int):
        id (str):
        name (str):  Example: example.com.
        tenant_id (str):
        ingest_token (None | str | Unset): Secret token of this domain's RFC 8460 HTTPS report receiver. Shown to the
            writer and
            admin roles only: anyone holding it can send TLS reports for the domain.
        tlsrpt_ingest_path (None | str | Unset): Path to publish in the domain's TLS-RPT record as
            `rua=https://<host><path>` (writer
            and admin roles only, like `ingest_token`). Example: /api/v1/tlsrpt/3q2-7uX….
    """

    created_at: int
    id: str
    name: str
    tenant_id: str
    ingest_token: None | str | Unset = UNSET
    tlsrpt_ingest_path: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = self.id

        name = self.name

        tenant_id = self.tenant_id

        ingest_token: None | str | Unset
        if isinstance(self.ingest_token, Unset):
            ingest_token = UNSET
        else:
            ingest_token = self.ingest_token

        tlsrpt_ingest_path: None | str | Unset
        if isinstance(self.tlsrpt_ingest_path, Unset):
            tlsrpt_ingest_path = UNSET
        else:
            tlsrpt_ingest_path = self.tlsrpt_ingest_path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "name": name,
                "tenant_id": tenant_id,
            }
        )
        if ingest_token is not UNSET:
            field_dict["ingest_token"] = ingest_token
        if tlsrpt_ingest_path is not UNSET:
            field_dict["tlsrpt_ingest_path"] = tlsrpt_ingest_path

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = d.pop("id")

        name = d.pop("name")

        tenant_id = d.pop("tenant_id")

        def _parse_ingest_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ingest_token = _parse_ingest_token(d.pop("ingest_token", UNSET))

        def _parse_tlsrpt_ingest_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tlsrpt_ingest_path = _parse_tlsrpt_ingest_path(
            d.pop("tlsrpt_ingest_path", UNSET)
        )

        domain_response = cls(
            created_at=created_at,
            id=id,
            name=name,
            tenant_id=tenant_id,
            ingest_token=ingest_token,
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
