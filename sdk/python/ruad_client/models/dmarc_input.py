from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.alignment import Alignment
from ..models.dmarc_policy import DmarcPolicy
from ..models.failure_option import FailureOption
from ..models.psd import Psd
from ..types import UNSET, Unset

T = TypeVar("T", bound="DmarcInput")


@_attrs_define
class DmarcInput:
    """What the DMARC record should say.

    Attributes:
        domain (str): Domain the policy is for (A-label form). Example: example.com.
        p (DmarcPolicy): A requested disposition for mail failing DMARC, ordered from weakest to strongest.
        adkim (Alignment | None | Unset):
        aspf (Alignment | None | Unset):
        fo (list[FailureOption] | Unset): Failure reporting options; only meaningful with ruf.
        np (DmarcPolicy | None | Unset):
        psd (None | Psd | Unset):
        rua (list[str] | Unset): Aggregate report destinations: addresses (`mailto:` is added) or URIs.
        ruf (list[str] | Unset): Failure report destinations: addresses or URIs.
        sp (DmarcPolicy | None | Unset):
        t (bool | None | Unset): Test mode, RFC 9989 (`t=y`): receivers apply one level less strict.
    """

    domain: str
    p: DmarcPolicy
    adkim: Alignment | None | Unset = UNSET
    aspf: Alignment | None | Unset = UNSET
    fo: list[FailureOption] | Unset = UNSET
    np: DmarcPolicy | None | Unset = UNSET
    psd: None | Psd | Unset = UNSET
    rua: list[str] | Unset = UNSET
    ruf: list[str] | Unset = UNSET
    sp: DmarcPolicy | None | Unset = UNSET
    t: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        p = self.p.value

        adkim: None | str | Unset
        if isinstance(self.adkim, Unset):
            adkim = UNSET
        elif isinstance(self.adkim, Alignment):
            adkim = self.adkim.value
        else:
            adkim = self.adkim

        aspf: None | str | Unset
        if isinstance(self.aspf, Unset):
            aspf = UNSET
        elif isinstance(self.aspf, Alignment):
            aspf = self.aspf.value
        else:
            aspf = self.aspf

        fo: list[str] | Unset = UNSET
        if not isinstance(self.fo, Unset):
            fo = []
            for fo_item_data in self.fo:
                fo_item = fo_item_data.value
                fo.append(fo_item)

        np: None | str | Unset
        if isinstance(self.np, Unset):
            np = UNSET
        elif isinstance(self.np, DmarcPolicy):
            np = self.np.value
        else:
            np = self.np

        psd: None | str | Unset
        if isinstance(self.psd, Unset):
            psd = UNSET
        elif isinstance(self.psd, Psd):
            psd = self.psd.value
        else:
            psd = self.psd

        rua: list[str] | Unset = UNSET
        if not isinstance(self.rua, Unset):
            rua = self.rua

        ruf: list[str] | Unset = UNSET
        if not isinstance(self.ruf, Unset):
            ruf = self.ruf

        sp: None | str | Unset
        if isinstance(self.sp, Unset):
            sp = UNSET
        elif isinstance(self.sp, DmarcPolicy):
            sp = self.sp.value
        else:
            sp = self.sp

        t: bool | None | Unset
        if isinstance(self.t, Unset):
            t = UNSET
        else:
            t = self.t

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "domain": domain,
                "p": p,
            }
        )
        if adkim is not UNSET:
            field_dict["adkim"] = adkim
        if aspf is not UNSET:
            field_dict["aspf"] = aspf
        if fo is not UNSET:
            field_dict["fo"] = fo
        if np is not UNSET:
            field_dict["np"] = np
        if psd is not UNSET:
            field_dict["psd"] = psd
        if rua is not UNSET:
            field_dict["rua"] = rua
        if ruf is not UNSET:
            field_dict["ruf"] = ruf
        if sp is not UNSET:
            field_dict["sp"] = sp
        if t is not UNSET:
            field_dict["t"] = t

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domain = d.pop("domain")

        p = DmarcPolicy(d.pop("p"))

        def _parse_adkim(data: object) -> Alignment | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                adkim_type_0 = Alignment(data)

                return adkim_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Alignment | None | Unset, data)

        adkim = _parse_adkim(d.pop("adkim", UNSET))

        def _parse_aspf(data: object) -> Alignment | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                aspf_type_0 = Alignment(data)

                return aspf_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Alignment | None | Unset, data)

        aspf = _parse_aspf(d.pop("aspf", UNSET))

        _fo = d.pop("fo", UNSET)
        fo: list[FailureOption] | Unset = UNSET
        if _fo is not UNSET:
            fo = []
            for fo_item_data in _fo:
                fo_item = FailureOption(fo_item_data)

                fo.append(fo_item)

        def _parse_np(data: object) -> DmarcPolicy | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                np_type_0 = DmarcPolicy(data)

                return np_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DmarcPolicy | None | Unset, data)

        np = _parse_np(d.pop("np", UNSET))

        def _parse_psd(data: object) -> None | Psd | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                psd_type_0 = Psd(data)

                return psd_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Psd | Unset, data)

        psd = _parse_psd(d.pop("psd", UNSET))

        rua = cast(list[str], d.pop("rua", UNSET))

        ruf = cast(list[str], d.pop("ruf", UNSET))

        def _parse_sp(data: object) -> DmarcPolicy | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sp_type_0 = DmarcPolicy(data)

                return sp_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DmarcPolicy | None | Unset, data)

        sp = _parse_sp(d.pop("sp", UNSET))

        def _parse_t(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        t = _parse_t(d.pop("t", UNSET))

        dmarc_input = cls(
            domain=domain,
            p=p,
            adkim=adkim,
            aspf=aspf,
            fo=fo,
            np=np,
            psd=psd,
            rua=rua,
            ruf=ruf,
            sp=sp,
            t=t,
        )

        return dmarc_input
