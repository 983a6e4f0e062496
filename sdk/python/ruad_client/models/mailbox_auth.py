from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.auth_type import AuthType
from ..models.o_auth_mechanism import OAuthMechanism
from ..types import UNSET, Unset

T = TypeVar("T", bound="MailboxAuth")


@_attrs_define
class MailboxAuth:
    """How a mailbox logs in, without its secrets.

    Attributes:
        type_ (AuthType): How a mailbox logs in.
        client_id (None | str | Unset): OAuth2 client id.
        mechanism (None | OAuthMechanism | Unset):
        scope (None | str | Unset):
        token_endpoint (None | str | Unset): OAuth2 token endpoint.
    """

    type_: AuthType
    client_id: None | str | Unset = UNSET
    mechanism: None | OAuthMechanism | Unset = UNSET
    scope: None | str | Unset = UNSET
    token_endpoint: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        client_id: None | str | Unset
        if isinstance(self.client_id, Unset):
            client_id = UNSET
        else:
            client_id = self.client_id

        mechanism: None | str | Unset
        if isinstance(self.mechanism, Unset):
            mechanism = UNSET
        elif isinstance(self.mechanism, OAuthMechanism):
            mechanism = self.mechanism.value
        else:
            mechanism = self.mechanism

        scope: None | str | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        token_endpoint: None | str | Unset
        if isinstance(self.token_endpoint, Unset):
            token_endpoint = UNSET
        else:
            token_endpoint = self.token_endpoint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if mechanism is not UNSET:
            field_dict["mechanism"] = mechanism
        if scope is not UNSET:
            field_dict["scope"] = scope
        if token_endpoint is not UNSET:
            field_dict["token_endpoint"] = token_endpoint

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = AuthType(d.pop("type"))

        def _parse_client_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_id = _parse_client_id(d.pop("client_id", UNSET))

        def _parse_mechanism(data: object) -> None | OAuthMechanism | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                mechanism_type_0 = OAuthMechanism(data)

                return mechanism_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OAuthMechanism | Unset, data)

        mechanism = _parse_mechanism(d.pop("mechanism", UNSET))

        def _parse_scope(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scope = _parse_scope(d.pop("scope", UNSET))

        def _parse_token_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token_endpoint = _parse_token_endpoint(d.pop("token_endpoint", UNSET))

        mailbox_auth = cls(
            type_=type_,
            client_id=client_id,
            mechanism=mechanism,
            scope=scope,
            token_endpoint=token_endpoint,
        )

        mailbox_auth.additional_properties = d
        return mailbox_auth

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
