from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.auth_domain_count import AuthDomainCount
    from ..models.header_from_count import HeaderFromCount
    from ..models.reverse_dns_response import ReverseDnsResponse
    from ..models.service_match import ServiceMatch


T = TypeVar("T", bound="DmarcSourceResponse")


@_attrs_define
class DmarcSourceResponse:
    """One sending source (IP address).

    Attributes:
        dkim_aligned_messages (int): Messages whose DKIM result passed and was aligned with the From domain.
        dkim_domains (list[AuthDomainCount]): DKIM signing domains (`d=`) whose signatures passed on its mail, most
            messages first.
        dmarc_fail_messages (int):
        dmarc_pass_messages (int):
        forwarded_messages (int): Messages the receiver said were forwarded (policy override reason `forwarded`,
            `trusted_forwarder` or `mailing_list`).
        header_from (list[HeaderFromCount]): The From domains it sent, with message counts.
        messages (int):
        source_ip (str):
        spf_aligned_messages (int): Messages whose SPF result passed and was aligned with the From domain.
        spf_domains (list[AuthDomainCount]): SPF domains (envelope senders, or HELO names) that passed for it, most
            messages first.
        reverse_dns (None | ReverseDnsResponse | Unset):
        service (None | ServiceMatch | Unset):
    """

    dkim_aligned_messages: int
    dkim_domains: list[AuthDomainCount]
    dmarc_fail_messages: int
    dmarc_pass_messages: int
    forwarded_messages: int
    header_from: list[HeaderFromCount]
    messages: int
    source_ip: str
    spf_aligned_messages: int
    spf_domains: list[AuthDomainCount]
    reverse_dns: None | ReverseDnsResponse | Unset = UNSET
    service: None | ServiceMatch | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.reverse_dns_response import ReverseDnsResponse
        from ..models.service_match import ServiceMatch

        dkim_aligned_messages = self.dkim_aligned_messages

        dkim_domains = []
        for dkim_domains_item_data in self.dkim_domains:
            dkim_domains_item = dkim_domains_item_data.to_dict()
            dkim_domains.append(dkim_domains_item)

        dmarc_fail_messages = self.dmarc_fail_messages

        dmarc_pass_messages = self.dmarc_pass_messages

        forwarded_messages = self.forwarded_messages

        header_from = []
        for header_from_item_data in self.header_from:
            header_from_item = header_from_item_data.to_dict()
            header_from.append(header_from_item)

        messages = self.messages

        source_ip = self.source_ip

        spf_aligned_messages = self.spf_aligned_messages

        spf_domains = []
        for spf_domains_item_data in self.spf_domains:
            spf_domains_item = spf_domains_item_data.to_dict()
            spf_domains.append(spf_domains_item)

        reverse_dns: dict[str, Any] | None | Unset
        if isinstance(self.reverse_dns, Unset):
            reverse_dns = UNSET
        elif isinstance(self.reverse_dns, ReverseDnsResponse):
            reverse_dns = self.reverse_dns.to_dict()
        else:
            reverse_dns = self.reverse_dns

        service: dict[str, Any] | None | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        elif isinstance(self.service, ServiceMatch):
            service = self.service.to_dict()
        else:
            service = self.service

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dkim_aligned_messages": dkim_aligned_messages,
                "dkim_domains": dkim_domains,
                "dmarc_fail_messages": dmarc_fail_messages,
                "dmarc_pass_messages": dmarc_pass_messages,
                "forwarded_messages": forwarded_messages,
                "header_from": header_from,
                "messages": messages,
                "source_ip": source_ip,
                "spf_aligned_messages": spf_aligned_messages,
                "spf_domains": spf_domains,
            }
        )
        if reverse_dns is not UNSET:
            field_dict["reverse_dns"] = reverse_dns
        if service is not UNSET:
            field_dict["service"] = service

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.auth_domain_count import AuthDomainCount
        from ..models.header_from_count import HeaderFromCount
        from ..models.reverse_dns_response import ReverseDnsResponse
        from ..models.service_match import ServiceMatch

        d = dict(src_dict)
        dkim_aligned_messages = d.pop("dkim_aligned_messages")

        dkim_domains = []
        _dkim_domains = d.pop("dkim_domains")
        for dkim_domains_item_data in _dkim_domains:
            dkim_domains_item = AuthDomainCount.from_dict(dkim_domains_item_data)

            dkim_domains.append(dkim_domains_item)

        dmarc_fail_messages = d.pop("dmarc_fail_messages")

        dmarc_pass_messages = d.pop("dmarc_pass_messages")

        forwarded_messages = d.pop("forwarded_messages")

        header_from = []
        _header_from = d.pop("header_from")
        for header_from_item_data in _header_from:
            header_from_item = HeaderFromCount.from_dict(header_from_item_data)

            header_from.append(header_from_item)

        messages = d.pop("messages")

        source_ip = d.pop("source_ip")

        spf_aligned_messages = d.pop("spf_aligned_messages")

        spf_domains = []
        _spf_domains = d.pop("spf_domains")
        for spf_domains_item_data in _spf_domains:
            spf_domains_item = AuthDomainCount.from_dict(spf_domains_item_data)

            spf_domains.append(spf_domains_item)

        def _parse_reverse_dns(data: object) -> None | ReverseDnsResponse | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reverse_dns_type_0 = ReverseDnsResponse.from_dict(data)

                return reverse_dns_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReverseDnsResponse | Unset, data)

        reverse_dns = _parse_reverse_dns(d.pop("reverse_dns", UNSET))

        def _parse_service(data: object) -> None | ServiceMatch | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                service_type_0 = ServiceMatch.from_dict(data)

                return service_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceMatch | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        dmarc_source_response = cls(
            dkim_aligned_messages=dkim_aligned_messages,
            dkim_domains=dkim_domains,
            dmarc_fail_messages=dmarc_fail_messages,
            dmarc_pass_messages=dmarc_pass_messages,
            forwarded_messages=forwarded_messages,
            header_from=header_from,
            messages=messages,
            source_ip=source_ip,
            spf_aligned_messages=spf_aligned_messages,
            spf_domains=spf_domains,
            reverse_dns=reverse_dns,
            service=service,
        )

        dmarc_source_response.additional_properties = d
        return dmarc_source_response

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
