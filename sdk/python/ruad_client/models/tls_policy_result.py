from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tls_failure_detail import TlsFailureDetail
    from ..models.tls_policy import TlsPolicy


T = TypeVar("T", bound="TlsPolicyResult")


@_attrs_define
class TlsPolicyResult:
    """One entry of `policies`.

    Attributes:
        policy (TlsPolicy): RFC 8460 §4.3 `policy`.
        total_failure_session_count (int):
        total_successful_session_count (int):
        failure_details (list[TlsFailureDetail] | Unset):
    """

    policy: TlsPolicy
    total_failure_session_count: int
    total_successful_session_count: int
    failure_details: list[TlsFailureDetail] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        policy = self.policy.to_dict()

        total_failure_session_count = self.total_failure_session_count

        total_successful_session_count = self.total_successful_session_count

        failure_details: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failure_details, Unset):
            failure_details = []
            for failure_details_item_data in self.failure_details:
                failure_details_item = failure_details_item_data.to_dict()
                failure_details.append(failure_details_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "policy": policy,
                "total_failure_session_count": total_failure_session_count,
                "total_successful_session_count": total_successful_session_count,
            }
        )
        if failure_details is not UNSET:
            field_dict["failure_details"] = failure_details

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tls_failure_detail import TlsFailureDetail
        from ..models.tls_policy import TlsPolicy

        d = dict(src_dict)
        policy = TlsPolicy.from_dict(d.pop("policy"))

        total_failure_session_count = d.pop("total_failure_session_count")

        total_successful_session_count = d.pop("total_successful_session_count")

        _failure_details = d.pop("failure_details", UNSET)
        failure_details: list[TlsFailureDetail] | Unset = UNSET
        if _failure_details is not UNSET:
            failure_details = []
            for failure_details_item_data in _failure_details:
                failure_details_item = TlsFailureDetail.from_dict(
                    failure_details_item_data
                )

                failure_details.append(failure_details_item)

        tls_policy_result = cls(
            policy=policy,
            total_failure_session_count=total_failure_session_count,
            total_successful_session_count=total_successful_session_count,
            failure_details=failure_details,
        )

        tls_policy_result.additional_properties = d
        return tls_policy_result

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
