from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.put_retention_request import PutRetentionRequest
from ...models.retention_response import RetentionResponse
from ...types import Response


def _get_kwargs(
    tenant_id: str,
    *,
    body: PutRetentionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/tenants/{tenant_id}/retention".format(
            tenant_id=quote(str(tenant_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RetentionResponse | None:
    if response.status_code == 200:
        response_200 = RetentionResponse.from_dict(response.json())

        return response_200

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
) -> Response[Problem | RetentionResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    body: PutRetentionRequest,
) -> Response[Problem | RetentionResponse]:
    """Set a tenant's own retention (admin). It applies to the tenant and to every tenant below
    without a setting of its own; the sweep deletes what expires within
    `RUAD_RETENTION_SWEEP_SECONDS`.

    Args:
        tenant_id (str):
        body (PutRetentionRequest): A tenant's own retention; a field left out or `null` is
            inherited from the nearest
            ancestor that sets it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RetentionResponse]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    body: PutRetentionRequest,
) -> Problem | RetentionResponse | None:
    """Set a tenant's own retention (admin). It applies to the tenant and to every tenant below
    without a setting of its own; the sweep deletes what expires within
    `RUAD_RETENTION_SWEEP_SECONDS`.

    Args:
        tenant_id (str):
        body (PutRetentionRequest): A tenant's own retention; a field left out or `null` is
            inherited from the nearest
            ancestor that sets it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RetentionResponse
    """

    return sync_detailed(
        tenant_id=tenant_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    body: PutRetentionRequest,
) -> Response[Problem | RetentionResponse]:
    """Set a tenant's own retention (admin). It applies to the tenant and to every tenant below
    without a setting of its own; the sweep deletes what expires within
    `RUAD_RETENTION_SWEEP_SECONDS`.

    Args:
        tenant_id (str):
        body (PutRetentionRequest): A tenant's own retention; a field left out or `null` is
            inherited from the nearest
            ancestor that sets it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RetentionResponse]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    body: PutRetentionRequest,
) -> Problem | RetentionResponse | None:
    """Set a tenant's own retention (admin). It applies to the tenant and to every tenant below
    without a setting of its own; the sweep deletes what expires within
    `RUAD_RETENTION_SWEEP_SECONDS`.

    Args:
        tenant_id (str):
        body (PutRetentionRequest): A tenant's own retention; a field left out or `null` is
            inherited from the nearest
            ancestor that sets it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RetentionResponse
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            client=client,
            body=body,
        )
    ).parsed
