from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.check_kind import CheckKind
from ...models.check_report import CheckReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    kind: CheckKind,
    *,
    domain: str | Unset = UNSET,
    selector: str | Unset = UNSET,
    ip: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["domain"] = domain

    params["selector"] = selector

    params["ip"] = ip

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/dns/{kind}/check".format(
            kind=quote(str(kind), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CheckReport | Problem | None:
    if response.status_code == 200:
        response_200 = CheckReport.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CheckReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    kind: CheckKind,
    *,
    client: AuthenticatedClient,
    domain: str | Unset = UNSET,
    selector: str | Unset = UNSET,
    ip: str | Unset = UNSET,
) -> Response[CheckReport | Problem]:
    """Check a domain's DMARC, SPF, DKIM, BIMI, MTA-STS or TLS-RPT records, or the reverse DNS
    of an address (`fcrdns`): the records found (also invalid ones), the parsed view, and
    findings with the RFC rule behind each.

    Args:
        kind (CheckKind): The kinds of check.
        domain (str | Unset):
        selector (str | Unset):
        ip (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CheckReport | Problem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        domain=domain,
        selector=selector,
        ip=ip,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    kind: CheckKind,
    *,
    client: AuthenticatedClient,
    domain: str | Unset = UNSET,
    selector: str | Unset = UNSET,
    ip: str | Unset = UNSET,
) -> CheckReport | Problem | None:
    """Check a domain's DMARC, SPF, DKIM, BIMI, MTA-STS or TLS-RPT records, or the reverse DNS
    of an address (`fcrdns`): the records found (also invalid ones), the parsed view, and
    findings with the RFC rule behind each.

    Args:
        kind (CheckKind): The kinds of check.
        domain (str | Unset):
        selector (str | Unset):
        ip (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CheckReport | Problem
    """

    return sync_detailed(
        kind=kind,
        client=client,
        domain=domain,
        selector=selector,
        ip=ip,
    ).parsed


async def asyncio_detailed(
    kind: CheckKind,
    *,
    client: AuthenticatedClient,
    domain: str | Unset = UNSET,
    selector: str | Unset = UNSET,
    ip: str | Unset = UNSET,
) -> Response[CheckReport | Problem]:
    """Check a domain's DMARC, SPF, DKIM, BIMI, MTA-STS or TLS-RPT records, or the reverse DNS
    of an address (`fcrdns`): the records found (also invalid ones), the parsed view, and
    findings with the RFC rule behind each.

    Args:
        kind (CheckKind): The kinds of check.
        domain (str | Unset):
        selector (str | Unset):
        ip (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CheckReport | Problem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        domain=domain,
        selector=selector,
        ip=ip,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    kind: CheckKind,
    *,
    client: AuthenticatedClient,
    domain: str | Unset = UNSET,
    selector: str | Unset = UNSET,
    ip: str | Unset = UNSET,
) -> CheckReport | Problem | None:
    """Check a domain's DMARC, SPF, DKIM, BIMI, MTA-STS or TLS-RPT records, or the reverse DNS
    of an address (`fcrdns`): the records found (also invalid ones), the parsed view, and
    findings with the RFC rule behind each.

    Args:
        kind (CheckKind): The kinds of check.
        domain (str | Unset):
        selector (str | Unset):
        ip (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CheckReport | Problem
    """

    return (
        await asyncio_detailed(
            kind=kind,
            client=client,
            domain=domain,
            selector=selector,
            ip=ip,
        )
    ).parsed
