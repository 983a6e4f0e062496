from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.digest_delivery_response import DigestDeliveryResponse
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    digest_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/digests/{digest_id}/send".format(
            digest_id=quote(str(digest_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DigestDeliveryResponse | Problem | None:
    if response.status_code == 202:
        response_202 = DigestDeliveryResponse.from_dict(response.json())

        return response_202

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
) -> Response[DigestDeliveryResponse | Problem]:
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
) -> Response[DigestDeliveryResponse | Problem]:
    """Send a digest now, for the last complete period of its schedule (also when it is
    disabled). The mail is queued; its outcome appears in the delivery log.

    Args:
        digest_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DigestDeliveryResponse | Problem]
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
) -> DigestDeliveryResponse | Problem | None:
    """Send a digest now, for the last complete period of its schedule (also when it is
    disabled). The mail is queued; its outcome appears in the delivery log.

    Args:
        digest_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DigestDeliveryResponse | Problem
    """

    return sync_detailed(
        digest_id=digest_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    digest_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[DigestDeliveryResponse | Problem]:
    """Send a digest now, for the last complete period of its schedule (also when it is
    disabled). The mail is queued; its outcome appears in the delivery log.

    Args:
        digest_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DigestDeliveryResponse | Problem]
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
) -> DigestDeliveryResponse | Problem | None:
    """Send a digest now, for the last complete period of its schedule (also when it is
    disabled). The mail is queued; its outcome appears in the delivery log.

    Args:
        digest_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DigestDeliveryResponse | Problem
    """

    return (
        await asyncio_detailed(
            digest_id=digest_id,
            client=client,
        )
    ).parsed
