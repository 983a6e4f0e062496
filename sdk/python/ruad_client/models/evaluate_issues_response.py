from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.issue_response import IssueResponse


T = TypeVar("T", bound="EvaluateIssuesResponse")


@_attrs_define
class EvaluateIssuesResponse:
    """What an evaluation found and changed.

    Attributes:
        issues (list[IssueResponse]): The domain's open and acknowledged issues after it, most severe first.
        opened (int): Issues opened (or reopened) by this evaluation.
        resolved (int): Issues resolved by this evaluation.
    """

    issues: list[IssueResponse]
    opened: int
    resolved: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        issues = []
        for issues_item_data in self.issues:
            issues_item = issues_item_data.to_dict()
            issues.append(issues_item)

        opened = self.opened

        resolved = self.resolved

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "issues": issues,
                "opened": opened,
                "resolved": resolved,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.issue_response import IssueResponse

        d = dict(src_dict)
        issues = []
        _issues = d.pop("issues")
        for issues_item_data in _issues:
            issues_item = IssueResponse.from_dict(issues_item_data)

            issues.append(issues_item)

        opened = d.pop("opened")

        resolved = d.pop("resolved")

        evaluate_issues_response = cls(
            issues=issues,
            opened=opened,
            resolved=resolved,
        )

        evaluate_issues_response.additional_properties = d
        return evaluate_issues_response

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
