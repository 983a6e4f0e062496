from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.failure_privacy import FailurePrivacy

T = TypeVar("T", bound="UpdateFailureSettingsRequest")


@_attrs_define
class UpdateFailureSettingsRequest:
    """Changes to a tenant's failure report settings.

    Attributes:
        failure_report_privacy (FailurePrivacy): How much of a failure report a tenant keeps (its
            `failure_report_privacy` setting).
    """

    failure_report_privacy: FailurePrivacy

    def to_dict(self) -> dict[str, Any]:
        failure_report_privacy = self.failure_report_privacy.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "failure_report_privacy": failure_report_privacy,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failure_report_privacy = FailurePrivacy(d.pop("failure_report_privacy"))

        update_failure_settings_request = cls(
            failure_report_privacy=failure_report_privacy,
        )

        return update_failure_settings_request
