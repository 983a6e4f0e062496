from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.digest_response import DigestResponse
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    digest_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/digests/{digest_id}".format(
            digest_id=quote(str(digest_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DigestResponse | Problem | None:
    if response.status_code == 200:
        response_200 = DigestResponse.from_dict(response.json())

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
) -> Response[DigestResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    digest_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[DigestResponse | Problem]:
    """Get a digest.

    Args:
        digest_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DigestResponse | Problem]
    """

    kwargs = _get_kwargs(
        digest_id=digest_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    digest_id: str,
    *,
    client: AuthenticatedClient,
) -> DigestResponse | Problem | None:
    """Get a digest.

    Args:
        digest_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DigestResponse | Problem
    """

    return sync_detailed(
        digest_id=digest_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    digest_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[DigestResponse | Problem]:
    """Get a digest.

    Args:
        digest_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DigestResponse | Problem]
    """

    kwargs = _get_kwargs(
        digest_id=digest_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    digest_id: str,
    *,
    client: AuthenticatedClient,
) -> DigestResponse | Problem | None:
    """Get a digest.

    Args:
        digest_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DigestResponse | Problem
    """

    return (
        await asyncio_detailed(
            digest_id=digest_id,
            client=client,
        )
    ).parsed
