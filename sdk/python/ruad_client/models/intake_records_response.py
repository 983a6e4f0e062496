from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.authorization_record import AuthorizationRecord


T = TypeVar("T", bound="IntakeRecordsResponse")


@_attrs_define
class IntakeRecordsResponse:
    """The records that make receivers send reports to a report address.

    Attributes:
        address (str): The report address. Example: k3v7q2…@reports.example.net.
        authorization (AuthorizationRecord): The RFC 7489 §7.1 authorization record: TXT `value` at `name`, published in
            the mail
            domain's zone by the ruad operator (not by the domain owner). Receivers check it before
            sending a domain's reports to an address in another organizational domain.
        dmarc_record (str): A DMARC record (`_dmarc.<domain>` TXT) with both tags and `p=none`; keep the domain's
            own policy and other tags when it has a record already. Example: v=DMARC1; p=none;
            rua=mailto:k3v7q2…@reports.example.net; ruf=mailto:k3v7q2…@reports.example.net.
        dmarc_rua (str): Value of the DMARC `rua` tag (aggregate reports). Example: mailto:k3v7q2…@reports.example.net.
        dmarc_ruf (str): Value of the DMARC `ruf` tag (failure reports).
        tlsrpt_record (str): The TLS-RPT record (`_smtp._tls.<domain>` TXT). Example: v=TLSRPTv1;
            rua=mailto:k3v7q2…@reports.example.net.
    """

    address: str
    authorization: AuthorizationRecord
    dmarc_record: str
    dmarc_rua: str
    dmarc_ruf: str
    tlsrpt_record: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        authorization = self.authorization.to_dict()

        dmarc_record = self.dmarc_record

        dmarc_rua = self.dmarc_rua

        dmarc_ruf = self.dmarc_ruf

        tlsrpt_record = self.tlsrpt_record

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "address": address,
                "authorization": authorization,
                "dmarc_record": dmarc_record,
                "dmarc_rua": dmarc_rua,
                "dmarc_ruf": dmarc_ruf,
                "tlsrpt_record": tlsrpt_record,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.authorization_record import AuthorizationRecord

        d = dict(src_dict)
        address = d.pop("address")

        authorization = AuthorizationRecord.from_dict(d.pop("authorization"))

        dmarc_record = d.pop("dmarc_record")

        dmarc_rua = d.pop("dmarc_rua")

        dmarc_ruf = d.pop("dmarc_ruf")

        tlsrpt_record = d.pop("tlsrpt_record")

        intake_records_response = cls(
            address=address,
            authorization=authorization,
            dmarc_record=dmarc_record,
            dmarc_rua=dmarc_rua,
            dmarc_ruf=dmarc_ruf,
            tlsrpt_record=tlsrpt_record,
        )

        intake_records_response.additional_properties = d
        return intake_records_response

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
