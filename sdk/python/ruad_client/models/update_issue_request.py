from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.issue_status import IssueStatus

T = TypeVar("T", bound="UpdateIssueRequest")


@_attrs_define
class UpdateIssueRequest:
    """A client's change of an issue's status.

    Attributes:
        status (IssueStatus): Where an issue is in its lifecycle.
    """

    status: IssueStatus

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = IssueStatus(d.pop("status"))

        update_issue_request = cls(
            status=status,
        )

        return update_issue_request
