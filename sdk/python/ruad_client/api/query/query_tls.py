from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_format import ExportFormat
from ...models.problem import Problem
from ...models.query_response import QueryResponse
from ...models.tls_query_request import TlsQueryRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TlsQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/query/tls",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | QueryResponse | None:
    if response.status_code == 200:
        response_200 = QueryResponse.from_dict(response.json())

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
) -> Response[Problem | QueryResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TlsQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> Response[Problem | QueryResponse]:
    """Query SMTP TLS sessions of one or more domains.

     Group by day, week, month, domain,
    reporter, result_type, sending_mta_ip, receiving_mx_hostname, policy_type or
    policy_domain; filter, pick metrics (successful, failed, total sessions), order and page
    like the DMARC query. Policy fields are read from the raw policy rows
    (`answered_from: records`, bounded).

    Args:
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.
        body (TlsQueryRequest): A TLS query, shaped like the DMARC one. Example: {'from':
            '2026-11-01', 'group_by': ['receiving_mx_hostname', 'result_type'], 'metrics':
            ['failed_sessions'], 'to': '2026-11-30'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QueryResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TlsQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> Problem | QueryResponse | None:
    """Query SMTP TLS sessions of one or more domains.

     Group by day, week, month, domain,
    reporter, result_type, sending_mta_ip, receiving_mx_hostname, policy_type or
    policy_domain; filter, pick metrics (successful, failed, total sessions), order and page
    like the DMARC query. Policy fields are read from the raw policy rows
    (`answered_from: records`, bounded).

    Args:
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.
        body (TlsQueryRequest): A TLS query, shaped like the DMARC one. Example: {'from':
            '2026-11-01', 'group_by': ['receiving_mx_hostname', 'result_type'], 'metrics':
            ['failed_sessions'], 'to': '2026-11-30'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QueryResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TlsQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> Response[Problem | QueryResponse]:
    """Query SMTP TLS sessions of one or more domains.

     Group by day, week, month, domain,
    reporter, result_type, sending_mta_ip, receiving_mx_hostname, policy_type or
    policy_domain; filter, pick metrics (successful, failed, total sessions), order and page
    like the DMARC query. Policy fields are read from the raw policy rows
    (`answered_from: records`, bounded).

    Args:
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.
        body (TlsQueryRequest): A TLS query, shaped like the DMARC one. Example: {'from':
            '2026-11-01', 'group_by': ['receiving_mx_hostname', 'result_type'], 'metrics':
            ['failed_sessions'], 'to': '2026-11-30'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QueryResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TlsQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> Problem | QueryResponse | None:
    """Query SMTP TLS sessions of one or more domains.

     Group by day, week, month, domain,
    reporter, result_type, sending_mta_ip, receiving_mx_hostname, policy_type or
    policy_domain; filter, pick metrics (successful, failed, total sessions), order and page
    like the DMARC query. Policy fields are read from the raw policy rows
    (`answered_from: records`, bounded).

    Args:
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.
        body (TlsQueryRequest): A TLS query, shaped like the DMARC one. Example: {'from':
            '2026-11-01', 'group_by': ['receiving_mx_hostname', 'result_type'], 'metrics':
            ['failed_sessions'], 'to': '2026-11-30'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QueryResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            format_=format_,
        )
    ).parsed
