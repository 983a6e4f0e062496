from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_format import ExportFormat
from ...models.problem import Problem
from ...models.tls_by_source_response import TlsBySourceResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    domain: str,
    *,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["from"] = from_

    params["to"] = to

    params["limit"] = limit

    params["cursor"] = cursor

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/domains/{domain}/tls/by-source".format(
            domain=quote(str(domain), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TlsBySourceResponse | None:
    if response.status_code == 200:
        response_200 = TlsBySourceResponse.from_dict(response.json())

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
) -> Response[Problem | TlsBySourceResponse]:
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
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> Response[Problem | TlsBySourceResponse]:
    """SMTP TLS results per reporting organization and per sending MTA / receiving MX.

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TlsBySourceResponse]
    """

    kwargs = _get_kwargs(
        domain=domain,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        format_=format_,
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
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> Problem | TlsBySourceResponse | None:
    """SMTP TLS results per reporting organization and per sending MTA / receiving MX.

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TlsBySourceResponse
    """

    return sync_detailed(
        domain=domain,
        client=client,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    domain: str,
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> Response[Problem | TlsBySourceResponse]:
    """SMTP TLS results per reporting organization and per sending MTA / receiving MX.

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TlsBySourceResponse]
    """

    kwargs = _get_kwargs(
        domain=domain,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    domain: str,
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> Problem | TlsBySourceResponse | None:
    """SMTP TLS results per reporting organization and per sending MTA / receiving MX.

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TlsBySourceResponse
    """

    return (
        await asyncio_detailed(
            domain=domain,
            client=client,
            from_=from_,
            to=to,
            limit=limit,
            cursor=cursor,
            format_=format_,
        )
    ).parsed
