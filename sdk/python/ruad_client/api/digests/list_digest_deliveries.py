from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.digest_delivery_list_response import DigestDeliveryListResponse
from ...models.digest_delivery_status import DigestDeliveryStatus
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    digest_id: str,
    *,
    status: DigestDeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/digests/{digest_id}/deliveries".format(
            digest_id=quote(str(digest_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DigestDeliveryListResponse | Problem | None:
    if response.status_code == 200:
        response_200 = DigestDeliveryListResponse.from_dict(response.json())

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
) -> Response[DigestDeliveryListResponse | Problem]:
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
    status: DigestDeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[DigestDeliveryListResponse | Problem]:
    """The delivery log of a digest, newest first: each mail, its state and every attempt.

    Args:
        digest_id (str):
        status (DigestDeliveryStatus | Unset): Where a digest delivery stands.
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DigestDeliveryListResponse | Problem]
    """

    kwargs = _get_kwargs(
        digest_id=digest_id,
        status=status,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    digest_id: str,
    *,
    client: AuthenticatedClient,
    status: DigestDeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> DigestDeliveryListResponse | Problem | None:
    """The delivery log of a digest, newest first: each mail, its state and every attempt.

    Args:
        digest_id (str):
        status (DigestDeliveryStatus | Unset): Where a digest delivery stands.
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DigestDeliveryListResponse | Problem
    """

    return sync_detailed(
        digest_id=digest_id,
        client=client,
        status=status,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    digest_id: str,
    *,
    client: AuthenticatedClient,
    status: DigestDeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[DigestDeliveryListResponse | Problem]:
    """The delivery log of a digest, newest first: each mail, its state and every attempt.

    Args:
        digest_id (str):
        status (DigestDeliveryStatus | Unset): Where a digest delivery stands.
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DigestDeliveryListResponse | Problem]
    """

    kwargs = _get_kwargs(
        digest_id=digest_id,
        status=status,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    digest_id: str,
    *,
    client: AuthenticatedClient,
    status: DigestDeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> DigestDeliveryListResponse | Problem | None:
    """The delivery log of a digest, newest first: each mail, its state and every attempt.

    Args:
        digest_id (str):
        status (DigestDeliveryStatus | Unset): Where a digest delivery stands.
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DigestDeliveryListResponse | Problem
    """

    return (
        await asyncio_detailed(
            digest_id=digest_id,
            client=client,
            status=status,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
