from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dkim_key_type import DkimKeyType
from ..types import UNSET, Unset

T = TypeVar("T", bound="DkimInput")


@_attrs_define
class DkimInput:
    """What the DKIM key record should hold.

    Attributes:
        domain (str): Signing domain (`d=`), A-label form. Example: example.com.
        selector (str): Selector (`s=`): one or more DNS labels. Example: s2026.
        bits (int | Unset): RSA key size: 1024, 2048 (default), 3072 or 4096. Ignored for Ed25519 and for a
            supplied key. Default: 2048.
        key_type (DkimKeyType | Unset): DKIM key type (`k=`).
        public_key (None | str | Unset): A public key to publish instead of generating one: base64 DER or PEM
            (`PUBLIC KEY` or `RSA PUBLIC KEY`; for Ed25519 also the 32 raw bytes in base64).
        testing (bool | Unset): Add `t=y` (testing: verifiers treat failures as unsigned mail).
    """

    domain: str
    selector: str
    bits: int | Unset = 2048
    key_type: DkimKeyType | Unset = UNSET
    public_key: None | str | Unset = UNSET
    testing: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        selector = self.selector

        bits = self.bits

        key_type: str | Unset = UNSET
        if not isinstance(self.key_type, Unset):
            key_type = self.key_type.value

        public_key: None | str | Unset
        if isinstance(self.public_key, Unset):
            public_key = UNSET
        else:
            public_key = self.public_key

        testing = self.testing

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "domain": domain,
                "selector": selector,
            }
        )
        if bits is not UNSET:
            field_dict["bits"] = bits
        if key_type is not UNSET:
            field_dict["key_type"] = key_type
        if public_key is not UNSET:
            field_dict["public_key"] = public_key
        if testing is not UNSET:
            field_dict["testing"] = testing

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domain = d.pop("domain")

        selector = d.pop("selector")

        bits = d.pop("bits", UNSET)

        _key_type = d.pop("key_type", UNSET)
        key_type: DkimKeyType | Unset
        if isinstance(_key_type, Unset):
            key_type = UNSET
        else:
            key_type = DkimKeyType(_key_type)

        def _parse_public_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        public_key = _parse_public_key(d.pop("public_key", UNSET))

        testing = d.pop("testing", UNSET)

        dkim_input = cls(
            domain=domain,
            selector=selector,
            bits=bits,
            key_type=key_type,
            public_key=public_key,
            testing=testing,
        )

        return dkim_input
