from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.after_kind import AfterKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="MailboxAfter")


@_attrs_define
class MailboxAfter:
    """What happens to a message once its reports are stored.

    Attributes:
        action (AfterKind): What happens to a message once its reports are stored.
        folder (None | str | Unset): The folder of `move` (required then, unused otherwise).
    """

    action: AfterKind
    folder: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        folder: None | str | Unset
        if isinstance(self.folder, Unset):
            folder = UNSET
        else:
            folder = self.folder

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )
        if folder is not UNSET:
            field_dict["folder"] = folder

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        action = AfterKind(d.pop("action"))

        def _parse_folder(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        folder = _parse_folder(d.pop("folder", UNSET))

        mailbox_after = cls(
            action=action,
            folder=folder,
        )

        return mailbox_after
