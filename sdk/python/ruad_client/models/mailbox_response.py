from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tls_mode import TlsMode

if TYPE_CHECKING:
    from ..models.mailbox_after import MailboxAfter
    from ..models.mailbox_auth import MailboxAuth
    from ..models.mailbox_status import MailboxStatus


T = TypeVar("T", bound="MailboxResponse")


@_attrs_define
class MailboxResponse:
    """A mailbox (without its secrets).

    Attributes:
        after (MailboxAfter): What happens to a message once its reports are stored.
        auth (MailboxAuth): How a mailbox logs in, without its secrets.
        created_at (int): Unix time of creation.
        enabled (bool): A disabled mailbox is not polled.
        folder (str): The folder read. Example: INBOX.
        host (str):  Example: outlook.office365.com.
        id (str):
        name (str):
        poll_interval_seconds (int): Seconds between polls.
        port (int):  Example: 993.
        rejected_folder (str): Where messages without any report go (never deleted).
        status (MailboxStatus): Progress and counters of a mailbox's polling.
        tenant_id (str): Owning tenant; reports are filed under its registered domains.
        tls (TlsMode): How the connection is secured. There is no plain-text mode: credentials never cross the
            network in clear.
        updated_at (int): Unix time of the last change of the settings.
        username (str):  Example: dmarc@example.com.
    """

    after: MailboxAfter
    auth: MailboxAuth
    created_at: int
    enabled: bool
    folder: str
    host: str
    id: str
    name: str
    poll_interval_seconds: int
    port: int
    rejected_folder: str
    status: MailboxStatus
    tenant_id: str
    tls: TlsMode
    updated_at: int
    username: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        after = self.after.to_dict()

        auth = self.auth.to_dict()

        created_at = self.created_at

        enabled = self.enabled

        folder = self.folder

        host = self.host

        id = self.id

        name = self.name

        poll_interval_seconds = self.poll_interval_seconds

        port = self.port

        rejected_folder = self.rejected_folder

        status = self.status.to_dict()

        tenant_id = self.tenant_id

        tls = self.tls.value

        updated_at = self.updated_at

        username = self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "after": after,
                "auth": auth,
                "created_at": created_at,
                "enabled": enabled,
                "folder": folder,
                "host": host,
                "id": id,
                "name": name,
                "poll_interval_seconds": poll_interval_seconds,
                "port": port,
                "rejected_folder": rejected_folder,
                "status": status,
                "tenant_id": tenant_id,
                "tls": tls,
                "updated_at": updated_at,
                "username": username,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.mailbox_after import MailboxAfter
        from ..models.mailbox_auth import MailboxAuth
        from ..models.mailbox_status import MailboxStatus

        d = dict(src_dict)
        after = MailboxAfter.from_dict(d.pop("after"))

        auth = MailboxAuth.from_dict(d.pop("auth"))

        created_at = d.pop("created_at")

        enabled = d.pop("enabled")

        folder = d.pop("folder")

        host = d.pop("host")

        id = d.pop("id")

        name = d.pop("name")

        poll_interval_seconds = d.pop("poll_interval_seconds")

        port = d.pop("port")

        rejected_folder = d.pop("rejected_folder")

        status = MailboxStatus.from_dict(d.pop("status"))

        tenant_id = d.pop("tenant_id")

        tls = TlsMode(d.pop("tls"))

        updated_at = d.pop("updated_at")

        username = d.pop("username")

        mailbox_response = cls(
            after=after,
            auth=auth,
            created_at=created_at,
            enabled=enabled,
            folder=folder,
            host=host,
            id=id,
            name=name,
            poll_interval_seconds=poll_interval_seconds,
            port=port,
            rejected_folder=rejected_folder,
            status=status,
            tenant_id=tenant_id,
            tls=tls,
            updated_at=updated_at,
            username=username,
        )

        mailbox_response.additional_properties = d
        return mailbox_response

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
