from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.failure_privacy import FailurePrivacy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failure_report import FailureReport
    from ..models.warning import Warning_


T = TypeVar("T", bound="FailureResponse")


@_attrs_define
class FailureResponse:
    """One stored failure report.

    Attributes:
        arrival_date (int): When the failing message arrived (Unix time; the report's date when it did not say).
        auth_failure (list[str]): `Auth-Failure` values.
        created_at (int): When ruad stored it (Unix time).
        domain (str): The registered domain it is filed under.
        id (str):
        incidents (int): Messages the report stands for.
        policy_domain (str): `Reported-Domain`, else the From domain of the failing message.
        privacy (FailurePrivacy): How much of a failure report a tenant keeps (its `failure_report_privacy` setting).
        report (FailureReport): One failure report.
        warnings (list[Warning_]): Tolerances applied while parsing.
        delivery_result (None | str | Unset):
        reporter (None | str | Unset): The domain of the report email's sender (the reporting organization).
        source_ip (None | str | Unset): Where the failing message came from.
    """

    arrival_date: int
    auth_failure: list[str]
    created_at: int
    domain: str
    id: str
    incidents: int
    policy_domain: str
    privacy: FailurePrivacy
    report: FailureReport
    warnings: list[Warning_]
    delivery_result: None | str | Unset = UNSET
    reporter: None | str | Unset = UNSET
    source_ip: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        arrival_date = self.arrival_date

        auth_failure = self.auth_failure

        created_at = self.created_at

        domain = self.domain

        id = self.id

        incidents = self.incidents

        policy_domain = self.policy_domain

        privacy = self.privacy.value

        report = self.report.to_dict()

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        delivery_result: None | str | Unset
        if isinstance(self.delivery_result, Unset):
            delivery_result = UNSET
        else:
            delivery_result = self.delivery_result

        reporter: None | str | Unset
        if isinstance(self.reporter, Unset):
            reporter = UNSET
        else:
            reporter = self.reporter

        source_ip: None | str | Unset
        if isinstance(self.source_ip, Unset):
            source_ip = UNSET
        else:
            source_ip = self.source_ip

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "arrival_date": arrival_date,
                "auth_failure": auth_failure,
                "created_at": created_at,
                "domain": domain,
                "id": id,
                "incidents": incidents,
                "policy_domain": policy_domain,
                "privacy": privacy,
                "report": report,
                "warnings": warnings,
            }
        )
        if delivery_result is not UNSET:
            field_dict["delivery_result"] = delivery_result
        if reporter is not UNSET:
            field_dict["reporter"] = reporter
        if source_ip is not UNSET:
            field_dict["source_ip"] = source_ip

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.failure_report import FailureReport
        from ..models.warning import Warning_

        d = dict(src_dict)
        arrival_date = d.pop("arrival_date")

        auth_failure = cast(list[str], d.pop("auth_failure"))

        created_at = d.pop("created_at")

        domain = d.pop("domain")

        id = d.pop("id")

        incidents = d.pop("incidents")

        policy_domain = d.pop("policy_domain")

        privacy = FailurePrivacy(d.pop("privacy"))

        report = FailureReport.from_dict(d.pop("report"))

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = Warning_.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        def _parse_delivery_result(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delivery_result = _parse_delivery_result(d.pop("delivery_result", UNSET))

        def _parse_reporter(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reporter = _parse_reporter(d.pop("reporter", UNSET))

        def _parse_source_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_ip = _parse_source_ip(d.pop("source_ip", UNSET))

        failure_response = cls(
            arrival_date=arrival_date,
            auth_failure=auth_failure,
            created_at=created_at,
            domain=domain,
            id=id,
            incidents=incidents,
            policy_domain=policy_domain,
            privacy=privacy,
            report=report,
            warnings=warnings,
            delivery_result=delivery_result,
            reporter=reporter,
            source_ip=source_ip,
        )

        failure_response.additional_properties = d
        return failure_response

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
