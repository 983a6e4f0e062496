from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dns_snapshot_list_response import DnsSnapshotListResponse
from ...models.problem import Problem
from ...models.run_domain_checks_request import RunDomainChecksRequest
from ...types import Response


def _get_kwargs(
    domain: str,
    *,
    body: RunDomainChecksRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/domains/{domain}/dns-checks".format(
            domain=quote(str(domain), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DnsSnapshotListResponse | Problem | None:
    if response.status_code == 201:
        response_201 = DnsSnapshotListResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[DnsSnapshotListResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    domain: str,
    *,
    client: AuthenticatedClient,
    body: RunDomainChecksRequest,
) -> Response[DnsSnapshotListResponse | Problem]:
    """Check every record kind of a registered domain now (DMARC, SPF, BIMI, MTA-STS, TLS-RPT,
    and DKIM for the selectors given) and store the results as snapshots.

    Args:
        domain (str):
        body (RunDomainChecksRequest): Which checks to run on a registered domain.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DnsSnapshotListResponse | Problem]
    """

    kwargs = _get_kwargs(
        domain=domain,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    domain: str,
    *,
    client: AuthenticatedClient,
    body: RunDomainChecksRequest,
) -> DnsSnapshotListResponse | Problem | None:
    """Check every record kind of a registered domain now (DMARC, SPF, BIMI, MTA-STS, TLS-RPT,
    and DKIM for the selectors given) and store the results as snapshots.

    Args:
        domain (str):
        body (RunDomainChecksRequest): Which checks to run on a registered domain.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DnsSnapshotListResponse | Problem
    """

    return sync_detailed(
        domain=domain,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    domain: str,
    *,
    client: AuthenticatedClient,
    body: RunDomainChecksRequest,
) -> Response[DnsSnapshotListResponse | Problem]:
    """Check every record kind of a registered domain now (DMARC, SPF, BIMI, MTA-STS, TLS-RPT,
    and DKIM for the selectors given) and store the results as snapshots.

    Args:
        domain (str):
        body (RunDomainChecksRequest): Which checks to run on a registered domain.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DnsSnapshotListResponse | Problem]
    """

    kwargs = _get_kwargs(
        domain=domain,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    domain: str,
    *,
    client: AuthenticatedClient,
    body: RunDomainChecksRequest,
) -> DnsSnapshotListResponse | Problem | None:
    """Check every record kind of a registered domain now (DMARC, SPF, BIMI, MTA-STS, TLS-RPT,
    and DKIM for the selectors given) and store the results as snapshots.

    Args:
        domain (str):
        body (RunDomainChecksRequest): Which checks to run on a registered domain.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DnsSnapshotListResponse | Problem
    """

    return (
        await asyncio_detailed(
            domain=domain,
            client=client,
            body=body,
        )
    ).parsed
