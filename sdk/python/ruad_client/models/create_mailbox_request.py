from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tls_mode import TlsMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mailbox_after import MailboxAfter
    from ..models.mailbox_auth_request import MailboxAuthRequest


T = TypeVar("T", bound="CreateMailboxRequest")


@_attrs_define
class CreateMailboxRequest:
    """
    Attributes:
        auth (MailboxAuthRequest): How to log in; the secrets are stored encrypted and never shown again.
        host (str): IMAP server: a DNS name or IP address that resolves to a public address. Example:
            outlook.office365.com.
        username (str):  Example: dmarc@example.com.
        after (MailboxAfter | None | Unset):
        enabled (bool | None | Unset): Default true.
        folder (None | str | Unset): Folder to read (default `INBOX`).
        name (None | str | Unset): A name for people (default `username@host`, at most 200 characters).
        poll_interval_seconds (int | None | Unset): Seconds between polls (30 to 86400, default 300).
        port (int | None | Unset): Default 993 with implicit TLS, 143 with STARTTLS.
        rejected_folder (None | str | Unset): Where messages without any report go (default `ruad-rejected`; created
            when missing).
        tenant_id (None | str | Unset): Owning tenant (default: the caller's); must be in the caller's subtree.
        tls (None | TlsMode | Unset):
    """

    auth: MailboxAuthRequest
    host: str
    username: str
    after: MailboxAfter | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    folder: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    poll_interval_seconds: int | None | Unset = UNSET
    port: int | None | Unset = UNSET
    rejected_folder: None | str | Unset = UNSET
    tenant_id: None | str | Unset = UNSET
    tls: None | TlsMode | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.mailbox_after import MailboxAfter

        auth = self.auth.to_dict()

        host = self.host

        username = self.username

        after: dict[str, Any] | None | Unset
        if isinstance(self.after, Unset):
            after = UNSET
        elif isinstance(self.after, MailboxAfter):
            after = self.after.to_dict()
        else:
            after = self.after

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

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        else:
            tenant_id = self.tenant_id

        tls: None | str | Unset
        if isinstance(self.tls, Unset):
            tls = UNSET
        elif isinstance(self.tls, TlsMode):
            tls = self.tls.value
        else:
            tls = self.tls

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "auth": auth,
                "host": host,
                "username": username,
            }
        )
        if after is not UNSET:
            field_dict["after"] = after
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if folder is not UNSET:
            field_dict["folder"] = folder
        if name is not UNSET:
            field_dict["name"] = name
        if poll_interval_seconds is not UNSET:
            field_dict["poll_interval_seconds"] = poll_interval_seconds
        if port is not UNSET:
            field_dict["port"] = port
        if rejected_folder is not UNSET:
            field_dict["rejected_folder"] = rejected_folder
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id
        if tls is not UNSET:
            field_dict["tls"] = tls

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.mailbox_after import MailboxAfter
        from ..models.mailbox_auth_request import MailboxAuthRequest

        d = dict(src_dict)
        auth = MailboxAuthRequest.from_dict(d.pop("auth"))

        host = d.pop("host")

        username = d.pop("username")

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

        def _parse_tenant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id", UNSET))

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

        create_mailbox_request = cls(
            auth=auth,
            host=host,
            username=username,
            after=after,
            enabled=enabled,
            folder=folder,
            name=name,
            poll_interval_seconds=poll_interval_seconds,
            port=port,
            rejected_folder=rejected_folder,
            tenant_id=tenant_id,
            tls=tls,
        )

        return create_mailbox_request
