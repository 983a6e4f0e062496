from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.forwarder_figures import ForwarderFigures
    from ..models.policy_effect import PolicyEffect
    from ..models.published_policy import PublishedPolicy
    from ..models.recommendation import Recommendation
    from ..models.service_to_fix import ServiceToFix
    from ..models.subdomain_figures import SubdomainFigures
    from ..models.unknown_figures import UnknownFigures


T = TypeVar("T", bound="Readiness")


@_attrs_define
class Readiness:
    """The assessment.

    Attributes:
        dmarc_pass_messages (int):
        failing_messages (int):
        forwarders (ForwarderFigures): Mail through forwarders and mailing lists.
        messages (int):
        policy (PublishedPolicy): The policy the domain published, as the newest report of the period says.
        quarantine (PolicyEffect): What one policy would have done.
        recommendation (Recommendation):
        reject (PolicyEffect): What one policy would have done.
        services_to_fix (list[ServiceToFix]): Named services failing DMARC, most failing messages first.
        subdomains (SubdomainFigures): Mail with a From domain below the domain (`sp` applies, or `np` for names that do
            not
            exist).
        unknown (UnknownFigures): Mail from sources no service could be named for.
    """

    dmarc_pass_messages: int
    failing_messages: int
    forwarders: ForwarderFigures
    messages: int
    policy: PublishedPolicy
    quarantine: PolicyEffect
    recommendation: Recommendation
    reject: PolicyEffect
    services_to_fix: list[ServiceToFix]
    subdomains: SubdomainFigures
    unknown: UnknownFigures
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dmarc_pass_messages = self.dmarc_pass_messages

        failing_messages = self.failing_messages

        forwarders = self.forwarders.to_dict()

        messages = self.messages

        policy = self.policy.to_dict()

        quarantine = self.quarantine.to_dict()

        recommendation = self.recommendation.to_dict()

        reject = self.reject.to_dict()

        services_to_fix = []
        for services_to_fix_item_data in self.services_to_fix:
            services_to_fix_item = services_to_fix_item_data.to_dict()
            services_to_fix.append(services_to_fix_item)

        subdomains = self.subdomains.to_dict()

        unknown = self.unknown.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dmarc_pass_messages": dmarc_pass_messages,
                "failing_messages": failing_messages,
                "forwarders": forwarders,
                "messages": messages,
                "policy": policy,
                "quarantine": quarantine,
                "recommendation": recommendation,
                "reject": reject,
                "services_to_fix": services_to_fix,
                "subdomains": subdomains,
                "unknown": unknown,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.forwarder_figures import ForwarderFigures
        from ..models.policy_effect import PolicyEffect
        from ..models.published_policy import PublishedPolicy
        from ..models.recommendation import Recommendation
        from ..models.service_to_fix import ServiceToFix
        from ..models.subdomain_figures import SubdomainFigures
        from ..models.unknown_figures import UnknownFigures

        d = dict(src_dict)
        dmarc_pass_messages = d.pop("dmarc_pass_messages")

        failing_messages = d.pop("failing_messages")

        forwarders = ForwarderFigures.from_dict(d.pop("forwarders"))

        messages = d.pop("messages")

        policy = PublishedPolicy.from_dict(d.pop("policy"))

        quarantine = PolicyEffect.from_dict(d.pop("quarantine"))

        recommendation = Recommendation.from_dict(d.pop("recommendation"))

        reject = PolicyEffect.from_dict(d.pop("reject"))

        services_to_fix = []
        _services_to_fix = d.pop("services_to_fix")
        for services_to_fix_item_data in _services_to_fix:
            services_to_fix_item = ServiceToFix.from_dict(services_to_fix_item_data)

            services_to_fix.append(services_to_fix_item)

        subdomains = SubdomainFigures.from_dict(d.pop("subdomains"))

        unknown = UnknownFigures.from_dict(d.pop("unknown"))

        readiness = cls(
            dmarc_pass_messages=dmarc_pass_messages,
            failing_messages=failing_messages,
            forwarders=forwarders,
            messages=messages,
            policy=policy,
            quarantine=quarantine,
            recommendation=recommendation,
            reject=reject,
            services_to_fix=services_to_fix,
            subdomains=subdomains,
            unknown=unknown,
        )

        readiness.additional_properties = d
        return readiness

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
