from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tls_mode import TlsMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mailbox_after import MailboxAfter
    from ..models.mailbox_auth_request import MailboxAuthRequest


T = TypeVar("T", bound="UpdateMailboxRequest")


@_attrs_define
class UpdateMailboxRequest:
    """
    Attributes:
        after (MailboxAfter | None | Unset):
        auth (MailboxAuthRequest | None | Unset):
        enabled (bool | None | Unset): Enable (polled again at once) or disable polling.
        folder (None | str | Unset):
        host (None | str | Unset): A new host, user name or folder starts the progress afresh.
        name (None | str | Unset):
        poll_interval_seconds (int | None | Unset):
        port (int | None | Unset):
        rejected_folder (None | str | Unset):
        tls (None | TlsMode | Unset):
        username (None | str | Unset):
    """

    after: MailboxAfter | None | Unset = UNSET
    auth: MailboxAuthRequest | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    folder: None | str | Unset = UNSET
    host: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    poll_interval_seconds: int | None | Unset = UNSET
    port: int | None | Unset = UNSET
    rejected_folder: None | str | Unset = UNSET
    tls: None | TlsMode | Unset = UNSET
    username: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.mailbox_after import MailboxAfter
        from ..models.mailbox_auth_request import MailboxAuthRequest

        after: dict[str, Any] | None | Unset
        if isinstance(self.after, Unset):
            after = UNSET
        elif isinstance(self.after, MailboxAfter):
            after = self.after.to_dict()
        else:
            after = self.after

        auth: dict[str, Any] | None | Unset
        if isinstance(self.auth, Unset):
            auth = UNSET
        elif isinstance(self.auth, MailboxAuthRequest):
            auth = self.auth.to_dict()
        else:
            auth = self.auth

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        folder: None | str | Unset
        if isinstance(self.folder, Unset):
            folder = UNSET
        else:
            folder = self.folder

        host: None | str | Unset
        if isinstance(self.host, Unset):
            host = UNSET
        else:
            host = self.host

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        poll_interval_seconds: int | None | Unset
        if isinstance(self.poll_interval_seconds, Unset):
            poll_interval_seconds = UNSET
        else:
            poll_interval_seconds = self.poll_interval_seconds

        port: int | None | Unset
        if isinstance(self.port, Unset):
            port = UNSET
        else:
            port = self.port

        rejected_folder: None | str | Unset
        if isinstance(self.rejected_folder, Unset):
            rejected_folder = UNSET
        else:
            rejected_folder = self.rejected_folder

        tls: None | str | Unset
        if isinstance(self.tls, Unset):
            tls = UNSET
        elif isinstance(self.tls, TlsMode):
            tls = self.tls.value
        else:
            tls = self.tls

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if after is not UNSET:
            field_dict["after"] = after
        if auth is not UNSET:
            field_dict["auth"] = auth
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if folder is not UNSET:
            field_dict["folder"] = folder
        if host is not UNSET:
            field_dict["host"] = host
        if name is not UNSET:
            field_dict["name"] = name
        if poll_interval_seconds is not UNSET:
            field_dict["poll_interval_seconds"] = poll_interval_seconds
        if port is not UNSET:
            field_dict["port"] = port
        if rejected_folder is not UNSET:
            field_dict["rejected_folder"] = rejected_folder
        if tls is not UNSET:
            field_dict["tls"] = tls
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.mailbox_after import MailboxAfter
        from ..models.mailbox_auth_request import MailboxAuthRequest

        d = dict(src_dict)

        def _parse_after(data: object) -> MailboxAfter | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                after_type_0 = MailboxAfter.from_dict(data)

                return after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MailboxAfter | None | Unset, data)

        after = _parse_after(d.pop("after", UNSET))

        def _parse_auth(data: object) -> MailboxAuthRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                auth_type_0 = MailboxAuthRequest.from_dict(data)

                return auth_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MailboxAuthRequest | None | Unset, data)

        auth = _parse_auth(d.pop("auth", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_folder(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        folder = _parse_folder(d.pop("folder", UNSET))

        def _parse_host(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        host = _parse_host(d.pop("host", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_poll_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        poll_interval_seconds = _parse_poll_interval_seconds(
            d.pop("poll_interval_seconds", UNSET)
        )

        def _parse_port(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        port = _parse_port(d.pop("port", UNSET))

        def _parse_rejected_folder(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rejected_folder = _parse_rejected_folder(d.pop("rejected_folder", UNSET))

        def _parse_tls(data: object) -> None | TlsMode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tls_type_0 = TlsMode(data)

                return tls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TlsMode | Unset, data)

        tls = _parse_tls(d.pop("tls", UNSET))

        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))

        update_mailbox_request = cls(
            after=after,
            auth=auth,
            enabled=enabled,
            folder=folder,
            host=host,
            name=name,
            poll_interval_seconds=poll_interval_seconds,
            port=port,
            rejected_folder=rejected_folder,
            tls=tls,
            username=username,
        )

        return update_mailbox_request
