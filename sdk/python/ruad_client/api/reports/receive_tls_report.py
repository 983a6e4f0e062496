from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.upload_response import UploadResponse
from ...types import UNSET, File, Response


def _get_kwargs(
    ingest_token: str,
    *,
    body: File | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tlsrpt/{ingest_token}".format(
            ingest_token=quote(str(ingest_token), safe=""),
        ),
    }

    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/tlsrpt+gzip"
    if isinstance(body, str):
        _kwargs["json"] = body

        headers["Content-Type"] = "application/tlsrpt+json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | UploadResponse | None:
    if response.status_code == 201:
        response_201 = UploadResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[Problem | UploadResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ingest_token: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | str | Unset = UNSET,
) -> Response[Problem | UploadResponse]:
    """Receive an SMTP TLS report (`application/tlsrpt+gzip` or `application/tlsrpt+json`):
    exactly one report per request, for the domain whose ingest token is in the path.

    Args:
        ingest_token (str):
        body (File): The bytes of one report file: XML, JSON, gzip, zlib, zip, email or mbox.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UploadResponse]
    """

    kwargs = _get_kwargs(
        ingest_token=ingest_token,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    ingest_token: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | str | Unset = UNSET,
) -> Problem | UploadResponse | None:
    """Receive an SMTP TLS report (`application/tlsrpt+gzip` or `application/tlsrpt+json`):
    exactly one report per request, for the domain whose ingest token is in the path.

    Args:
        ingest_token (str):
        body (File): The bytes of one report file: XML, JSON, gzip, zlib, zip, email or mbox.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UploadResponse
    """

    return sync_detailed(
        ingest_token=ingest_token,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    ingest_token: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | str | Unset = UNSET,
) -> Response[Problem | UploadResponse]:
    """Receive an SMTP TLS report (`application/tlsrpt+gzip` or `application/tlsrpt+json`):
    exactly one report per request, for the domain whose ingest token is in the path.

    Args:
        ingest_token (str):
        body (File): The bytes of one report file: XML, JSON, gzip, zlib, zip, email or mbox.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UploadResponse]
    """

    kwargs = _get_kwargs(
        ingest_token=ingest_token,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ingest_token: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | str | Unset = UNSET,
) -> Problem | UploadResponse | None:
    """Receive an SMTP TLS report (`application/tlsrpt+gzip` or `application/tlsrpt+json`):
    exactly one report per request, for the domain whose ingest token is in the path.

    Args:
        ingest_token (str):
        body (File): The bytes of one report file: XML, JSON, gzip, zlib, zip, email or mbox.
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UploadResponse
    """

    return (
        await asyncio_detailed(
            ingest_token=ingest_token,
            client=client,
            body=body,
        )
    ).parsed
