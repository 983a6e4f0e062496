from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.enforcement_readiness_response import EnforcementReadinessResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    domain: str,
    *,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["from"] = from_

    params["to"] = to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/domains/{domain}/enforcement-readiness".format(
            domain=quote(str(domain), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EnforcementReadinessResponse | Problem | None:
    if response.status_code == 200:
        response_200 = EnforcementReadinessResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[EnforcementReadinessResponse | Problem]:
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
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> Response[EnforcementReadinessResponse | Problem]:
    """Enforcement readiness of a domain: from its own aggregate reports over the period, the
    messages `p=quarantine` and `p=reject` would have affected (failing DMARC and not already
    treated so by the receiver), split into the domain's named services (legitimate mail that
    would be lost: each with its fix), forwarders and mailing lists (how much receivers already
    accept, how much needs DKIM that survives forwarding) and unknown sources (what enforcement
    stops); subdomain mail under `sp`; and the recommended next step with the DMARC record to
    publish (the current record with the policy changed).

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnforcementReadinessResponse | Problem]
    """

    kwargs = _get_kwargs(
        domain=domain,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    domain: str,
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> EnforcementReadinessResponse | Problem | None:
    """Enforcement readiness of a domain: from its own aggregate reports over the period, the
    messages `p=quarantine` and `p=reject` would have affected (failing DMARC and not already
    treated so by the receiver), split into the domain's named services (legitimate mail that
    would be lost: each with its fix), forwarders and mailing lists (how much receivers already
    accept, how much needs DKIM that survives forwarding) and unknown sources (what enforcement
    stops); subdomain mail under `sp`; and the recommended next step with the DMARC record to
    publish (the current record with the policy changed).

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnforcementReadinessResponse | Problem
    """

    return sync_detailed(
        domain=domain,
        client=client,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    domain: str,
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> Response[EnforcementReadinessResponse | Problem]:
    """Enforcement readiness of a domain: from its own aggregate reports over the period, the
    messages `p=quarantine` and `p=reject` would have affected (failing DMARC and not already
    treated so by the receiver), split into the domain's named services (legitimate mail that
    would be lost: each with its fix), forwarders and mailing lists (how much receivers already
    accept, how much needs DKIM that survives forwarding) and unknown sources (what enforcement
    stops); subdomain mail under `sp`; and the recommended next step with the DMARC record to
    publish (the current record with the policy changed).

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnforcementReadinessResponse | Problem]
    """

    kwargs = _get_kwargs(
        domain=domain,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    domain: str,
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> EnforcementReadinessResponse | Problem | None:
    """Enforcement readiness of a domain: from its own aggregate reports over the period, the
    messages `p=quarantine` and `p=reject` would have affected (failing DMARC and not already
    treated so by the receiver), split into the domain's named services (legitimate mail that
    would be lost: each with its fix), forwarders and mailing lists (how much receivers already
    accept, how much needs DKIM that survives forwarding) and unknown sources (what enforcement
    stops); subdomain mail under `sp`; and the recommended next step with the DMARC record to
    publish (the current record with the policy changed).

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnforcementReadinessResponse | Problem
    """

    return (
        await asyncio_detailed(
            domain=domain,
            client=client,
            from_=from_,
            to=to,
        )
    ).parsed
