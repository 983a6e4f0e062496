from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.original_message import OriginalMessage
    from ..models.reporter_info import ReporterInfo


T = TypeVar("T", bound="FailureReport")


@_attrs_define
class FailureReport:
    """One failure report.

    Attributes:
        auth_failure (list[str]): `Auth-Failure`: which mechanisms failed, lower-case (`dmarc`, `spf`, `dkim`,
            `bodyhash`, `signature`, `revoked`, `adsp`, `policy`, or another value as sent).
        authentication_results (list[str]): `Authentication-Results` the receiver computed (RFC 8601), unfolded.
        feedback_type (str): `Feedback-Type`: always `auth-failure` for a report ruad accepts. Example: auth-failure.
        identity_alignment (list[str]): `Identity-Alignment` (RFC 9991): the mechanisms that were aligned (`none`,
            `spf`,
            `dkim`).
        original_rcpt_to (list[str]): `Original-Rcpt-To`: the SMTP envelope recipients, without angle brackets.
        reporter (ReporterInfo): The email that carried the report.
        spf_dns (list[str]): `SPF-DNS`: the SPF records the receiver evaluated.
        arrival_date (int | None | Unset): `Arrival-Date` (or the older `Received-Date`), as Unix seconds (UTC).
        delivery_result (None | str | Unset): `Delivery-Result`: `delivered`, `spam`, `policy`, `reject` or `other`.
        dkim_canonicalized_body (None | str | Unset): `DKIM-Canonicalized-Body`: base64 of the canonicalized body the
            verifier hashed.
        dkim_canonicalized_header (None | str | Unset): `DKIM-Canonicalized-Header`: base64 of the canonicalized header
            the verifier hashed.
        dkim_domain (None | str | Unset): `DKIM-Domain`: the `d=` of the failing signature.
        dkim_identity (None | str | Unset): `DKIM-Identity`: the `i=` of the failing signature.
        dkim_selector (None | str | Unset): `DKIM-Selector`: the `s=` of the failing signature.
        incidents (int | None | Unset): `Incidents`: how many messages this report stands for (1 when absent).
        original (None | OriginalMessage | Unset):
        original_envelope_id (None | str | Unset): `Original-Envelope-Id`: the receiver's id of the SMTP transaction.
        original_mail_from (None | str | Unset): `Original-Mail-From`: the SMTP envelope sender, without angle brackets.
        reported_domain (None | str | Unset): `Reported-Domain`: the domain the failing message claimed (its RFC 5322
            From domain).
        reporting_mta (None | str | Unset): `Reporting-MTA`: the receiver's MTA.
        source_ip (None | str | Unset): `Source-IP`: the address the failing message came from. Example: 192.0.2.1.
        user_agent (None | str | Unset): `User-Agent`: the software that made the report.
        version (None | str | Unset): `Version` of the ARF format the reporter declared.
    """

    auth_failure: list[str]
    authentication_results: list[str]
    feedback_type: str
    identity_alignment: list[str]
    original_rcpt_to: list[str]
    reporter: ReporterInfo
    spf_dns: list[str]
    arrival_date: int | None | Unset = UNSET
    delivery_result: None | str | Unset = UNSET
    dkim_canonicalized_body: None | str | Unset = UNSET
    dkim_canonicalized_header: None | str | Unset = UNSET
    dkim_domain: None | str | Unset = UNSET
    dkim_identity: None | str | Unset = UNSET
    dkim_selector: None | str | Unset = UNSET
    incidents: int | None | Unset = UNSET
    original: None | OriginalMessage | Unset = UNSET
    original_envelope_id: None | str | Unset = UNSET
    original_mail_from: None | str | Unset = UNSET
    reported_domain: None | str | Unset = UNSET
    reporting_mta: None | str | Unset = UNSET
    source_ip: None | str | Unset = UNSET
    user_agent: None | str | Unset = UNSET
    version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.original_message import OriginalMessage

        auth_failure = self.auth_failure

        authentication_results = self.authentication_results

        feedback_type = self.feedback_type

        identity_alignment = self.identity_alignment

        original_rcpt_to = self.original_rcpt_to

        reporter = self.reporter.to_dict()

        spf_dns = self.spf_dns

        arrival_date: int | None | Unset
        if isinstance(self.arrival_date, Unset):
            arrival_date = UNSET
        else:
            arrival_date = self.arrival_date

        delivery_result: None | str | Unset
        if isinstance(self.delivery_result, Unset):
            delivery_result = UNSET
        else:
            delivery_result = self.delivery_result

        dkim_canonicalized_body: None | str | Unset
        if isinstance(self.dkim_canonicalized_body, Unset):
            dkim_canonicalized_body = UNSET
        else:
            dkim_canonicalized_body = self.dkim_canonicalized_body

        dkim_canonicalized_header: None | str | Unset
        if isinstance(self.dkim_canonicalized_header, Unset):
            dkim_canonicalized_header = UNSET
        else:
            dkim_canonicalized_header = self.dkim_canonicalized_header

        dkim_domain: None | str | Unset
        if isinstance(self.dkim_domain, Unset):
            dkim_domain = UNSET
        else:
            dkim_domain = self.dkim_domain

        dkim_identity: None | str | Unset
        if isinstance(self.dkim_identity, Unset):
            dkim_identity = UNSET
        else:
            dkim_identity = self.dkim_identity

        dkim_selector: None | str | Unset
        if isinstance(self.dkim_selector, Unset):
            dkim_selector = UNSET
        else:
            dkim_selector = self.dkim_selector

        incidents: int | None | Unset
        if isinstance(self.incidents, Unset):
            incidents = UNSET
        else:
            incidents = self.incidents

        original: dict[str, Any] | None | Unset
        if isinstance(self.original, Unset):
            original = UNSET
        elif isinstance(self.original, OriginalMessage):
            original = self.original.to_dict()
        else:
            original = self.original

        original_envelope_id: None | str | Unset
        if isinstance(self.original_envelope_id, Unset):
            original_envelope_id = UNSET
        else:
            original_envelope_id = self.original_envelope_id

        original_mail_from: None | str | Unset
        if isinstance(self.original_mail_from, Unset):
            original_mail_from = UNSET
        else:
            original_mail_from = self.original_mail_from

        reported_domain: None | str | Unset
        if isinstance(self.reported_domain, Unset):
            reported_domain = UNSET
        else:
            reported_domain = self.reported_domain

        reporting_mta: None | str | Unset
        if isinstance(self.reporting_mta, Unset):
            reporting_mta = UNSET
        else:
            reporting_mta = self.reporting_mta

        source_ip: None | str | Unset
        if isinstance(self.source_ip, Unset):
            source_ip = UNSET
        else:
            source_ip = self.source_ip

        user_agent: None | str | Unset
        if isinstance(self.user_agent, Unset):
            user_agent = UNSET
        else:
            user_agent = self.user_agent

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "auth_failure": auth_failure,
                "authentication_results": authentication_results,
                "feedback_type": feedback_type,
                "identity_alignment": identity_alignment,
                "original_rcpt_to": original_rcpt_to,
                "reporter": reporter,
                "spf_dns": spf_dns,
            }
        )
        if arrival_date is not UNSET:
            field_dict["arrival_date"] = arrival_date
        if delivery_result is not UNSET:
            field_dict["delivery_result"] = delivery_result
        if dkim_canonicalized_body is not UNSET:
            field_dict["dkim_canonicalized_body"] = dkim_canonicalized_body
        if dkim_canonicalized_header is not UNSET:
            field_dict["dkim_canonicalized_header"] = dkim_canonicalized_header
        if dkim_domain is not UNSET:
            field_dict["dkim_domain"] = dkim_domain
        if dkim_identity is not UNSET:
            field_dict["dkim_identity"] = dkim_identity
        if dkim_selector is not UNSET:
            field_dict["dkim_selector"] = dkim_selector
        if incidents is not UNSET:
            field_dict["incidents"] = incidents
        if original is not UNSET:
            field_dict["original"] = original
        if original_envelope_id is not UNSET:
            field_dict["original_envelope_id"] = original_envelope_id
        if original_mail_from is not UNSET:
            field_dict["original_mail_from"] = original_mail_from
        if reported_domain is not UNSET:
            field_dict["reported_domain"] = reported_domain
        if reporting_mta is not UNSET:
            field_dict["reporting_mta"] = reporting_mta
        if source_ip is not UNSET:
            field_dict["source_ip"] = source_ip
        if user_agent is not UNSET:
            field_dict["user_agent"] = user_agent
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.original_message import OriginalMessage
        from ..models.reporter_info import ReporterInfo

        d = dict(src_dict)
        auth_failure = cast(list[str], d.pop("auth_failure"))

        authentication_results = cast(list[str], d.pop("authentication_results"))

        feedback_type = d.pop("feedback_type")

        identity_alignment = cast(list[str], d.pop("identity_alignment"))

        original_rcpt_to = cast(list[str], d.pop("original_rcpt_to"))

        reporter = ReporterInfo.from_dict(d.pop("reporter"))

        spf_dns = cast(list[str], d.pop("spf_dns"))

        def _parse_arrival_date(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        arrival_date = _parse_arrival_date(d.pop("arrival_date", UNSET))

        def _parse_delivery_result(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delivery_result = _parse_delivery_result(d.pop("delivery_result", UNSET))

        def _parse_dkim_canonicalized_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dkim_canonicalized_body = _parse_dkim_canonicalized_body(
            d.pop("dkim_canonicalized_body", UNSET)
        )

        def _parse_dkim_canonicalized_header(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dkim_canonicalized_header = _parse_dkim_canonicalized_header(
            d.pop("dkim_canonicalized_header", UNSET)
        )

        def _parse_dkim_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dkim_domain = _parse_dkim_domain(d.pop("dkim_domain", UNSET))

        def _parse_dkim_identity(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dkim_identity = _parse_dkim_identity(d.pop("dkim_identity", UNSET))

        def _parse_dkim_selector(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dkim_selector = _parse_dkim_selector(d.pop("dkim_selector", UNSET))

        def _parse_incidents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        incidents = _parse_incidents(d.pop("incidents", UNSET))

        def _parse_original(data: object) -> None | OriginalMessage | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                original_type_0 = OriginalMessage.from_dict(data)

                return original_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OriginalMessage | Unset, data)

        original = _parse_original(d.pop("original", UNSET))

        def _parse_original_envelope_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        original_envelope_id = _parse_original_envelope_id(
            d.pop("original_envelope_id", UNSET)
        )

        def _parse_original_mail_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        original_mail_from = _parse_original_mail_from(
            d.pop("original_mail_from", UNSET)
        )

        def _parse_reported_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reported_domain = _parse_reported_domain(d.pop("reported_domain", UNSET))

        def _parse_reporting_mta(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reporting_mta = _parse_reporting_mta(d.pop("reporting_mta", UNSET))

        def _parse_source_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_ip = _parse_source_ip(d.pop("source_ip", UNSET))

        def _parse_user_agent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_agent = _parse_user_agent(d.pop("user_agent", UNSET))

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        failure_report = cls(
            auth_failure=auth_failure,
            authentication_results=authentication_results,
            feedback_type=feedback_type,
            identity_alignment=identity_alignment,
            original_rcpt_to=original_rcpt_to,
            reporter=reporter,
            spf_dns=spf_dns,
            arrival_date=arrival_date,
            delivery_result=delivery_result,
            dkim_canonicalized_body=dkim_canonicalized_body,
            dkim_canonicalized_header=dkim_canonicalized_header,
            dkim_domain=dkim_domain,
            dkim_identity=dkim_identity,
            dkim_selector=dkim_selector,
            incidents=incidents,
            original=original,
            original_envelope_id=original_envelope_id,
            original_mail_from=original_mail_from,
            reported_domain=reported_domain,
            reporting_mta=reporting_mta,
            source_ip=source_ip,
            user_agent=user_agent,
            version=version,
        )

        failure_report.additional_properties = d
        return failure_report

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
