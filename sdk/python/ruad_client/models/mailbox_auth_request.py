from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.auth_type import AuthType
from ..models.o_auth_mechanism import OAuthMechanism
from ..types import UNSET, Unset

T = TypeVar("T", bound="MailboxAuthRequest")


@_attrs_define
class MailboxAuthRequest:
    """How to log in; the secrets are stored encrypted and never shown again.

    Attributes:
        type_ (AuthType): How a mailbox logs in.
        client_id (None | str | Unset): With `oauth2`: the client id.
        client_secret (None | str | Unset): With `oauth2`: the client secret.
        mechanism (None | OAuthMechanism | Unset):
        password (None | str | Unset): With `password`: the password (an app password where the provider requires one).
        refresh_token (None | str | Unset): With `oauth2`: the refresh token an access token is obtained with whenever
            needed.
        scope (None | str | Unset): With `oauth2`: the scope to ask for, when the provider wants one (Microsoft:
            `https://outlook.office.com/IMAP.AccessAsUser.All offline_access`).
        token_endpoint (None | str | Unset): With `oauth2`: the provider's token endpoint (`https`, public address).
            Example: https://login.microsoftonline.com/common/oauth2/v2.0/token.
    """

    type_: AuthType
    client_id: None | str | Unset = UNSET
    client_secret: None | str | Unset = UNSET
    mechanism: None | OAuthMechanism | Unset = UNSET
    password: None | str | Unset = UNSET
    refresh_token: None | str | Unset = UNSET
    scope: None | str | Unset = UNSET
    token_endpoint: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        client_id: None | str | Unset
        if isinstance(self.client_id, Unset):
            client_id = UNSET
        else:
            client_id = self.client_id

        client_secret: None | str | Unset
        if isinstance(self.client_secret, Unset):
            client_secret = UNSET
        else:
            client_secret = self.client_secret

        mechanism: None | str | Unset
        if isinstance(self.mechanism, Unset):
            mechanism = UNSET
        elif isinstance(self.mechanism, OAuthMechanism):
            mechanism = self.mechanism.value
        else:
            mechanism = self.mechanism

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        refresh_token: None | str | Unset
        if isinstance(self.refresh_token, Unset):
            refresh_token = UNSET
        else:
            refresh_token = self.refresh_token

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

        field_dict.update(
            {
                "type": type_,
            }
        )
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret
        if mechanism is not UNSET:
            field_dict["mechanism"] = mechanism
        if password is not UNSET:
            field_dict["password"] = password
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token
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

        def _parse_client_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_secret = _parse_client_secret(d.pop("client_secret", UNSET))

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

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        def _parse_refresh_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refresh_token = _parse_refresh_token(d.pop("refresh_token", UNSET))

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

        mailbox_auth_request = cls(
            type_=type_,
            client_id=client_id,
            client_secret=client_secret,
            mechanism=mechanism,
            password=password,
            refresh_token=refresh_token,
            scope=scope,
            token_endpoint=token_endpoint,
        )

        return mailbox_auth_request
