from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dmarc_query_request import DmarcQueryRequest
from ...models.export_format import ExportFormat
from ...models.problem import Problem
from ...models.query_response import QueryResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: DmarcQueryRequest,
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
        "url": "/api/v1/query/dmarc",
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
    body: DmarcQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> Response[Problem | QueryResponse]:
    """Query DMARC traffic of one or more domains.

     Group by any of day, week, month, domain,
    header_from, source_ip, source_network (/24, /48), service, service_category, reporter,
    disposition, dkim_result, spf_result, dkim_domain, spf_domain, alignment and policy;
    filter (`equals`, `not`, `in`, `not_in`, `prefix`, `cidr`; `range` on metrics, per
    group); pick metrics; order; page with `limit` and `cursor`. Queries whose fields a
    rollup holds are answered from it (`answered_from: rollups`); the others (`policy`,
    result fields with source fields, DKIM/SPF domains with metrics other than `messages`)
    scan the raw records within bounds (`answered_from: records`) and are refused with 422
    `query_too_large` beyond them.

    Args:
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.
        body (DmarcQueryRequest): A DMARC query: which domains and days, grouped how, filtered
            how, which metrics, in
            which order, which page. Example: {'domains': ['example.com'], 'filters': [{'field':
            'messages', 'min': 10, 'op': 'range'}], 'from': '2026-09-01', 'group_by': ['source_ip',
            'header_from', 'month'], 'limit': 100, 'metrics': ['messages', 'dmarc_pass'], 'order_by':
            [{'direction': 'desc', 'field': 'messages'}], 'to': '2026-11-30'}.

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
    body: DmarcQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> Problem | QueryResponse | None:
    """Query DMARC traffic of one or more domains.

     Group by any of day, week, month, domain,
    header_from, source_ip, source_network (/24, /48), service, service_category, reporter,
    disposition, dkim_result, spf_result, dkim_domain, spf_domain, alignment and policy;
    filter (`equals`, `not`, `in`, `not_in`, `prefix`, `cidr`; `range` on metrics, per
    group); pick metrics; order; page with `limit` and `cursor`. Queries whose fields a
    rollup holds are answered from it (`answered_from: rollups`); the others (`policy`,
    result fields with source fields, DKIM/SPF domains with metrics other than `messages`)
    scan the raw records within bounds (`answered_from: records`) and are refused with 422
    `query_too_large` beyond them.

    Args:
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.
        body (DmarcQueryRequest): A DMARC query: which domains and days, grouped how, filtered
            how, which metrics, in
            which order, which page. Example: {'domains': ['example.com'], 'filters': [{'field':
            'messages', 'min': 10, 'op': 'range'}], 'from': '2026-09-01', 'group_by': ['source_ip',
            'header_from', 'month'], 'limit': 100, 'metrics': ['messages', 'dmarc_pass'], 'order_by':
            [{'direction': 'desc', 'field': 'messages'}], 'to': '2026-11-30'}.

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
    body: DmarcQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> Response[Problem | QueryResponse]:
    """Query DMARC traffic of one or more domains.

     Group by any of day, week, month, domain,
    header_from, source_ip, source_network (/24, /48), service, service_category, reporter,
    disposition, dkim_result, spf_result, dkim_domain, spf_domain, alignment and policy;
    filter (`equals`, `not`, `in`, `not_in`, `prefix`, `cidr`; `range` on metrics, per
    group); pick metrics; order; page with `limit` and `cursor`. Queries whose fields a
    rollup holds are answered from it (`answered_from: rollups`); the others (`policy`,
    result fields with source fields, DKIM/SPF domains with metrics other than `messages`)
    scan the raw records within bounds (`answered_from: records`) and are refused with 422
    `query_too_large` beyond them.

    Args:
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.
        body (DmarcQueryRequest): A DMARC query: which domains and days, grouped how, filtered
            how, which metrics, in
            which order, which page. Example: {'domains': ['example.com'], 'filters': [{'field':
            'messages', 'min': 10, 'op': 'range'}], 'from': '2026-09-01', 'group_by': ['source_ip',
            'header_from', 'month'], 'limit': 100, 'metrics': ['messages', 'dmarc_pass'], 'order_by':
            [{'direction': 'desc', 'field': 'messages'}], 'to': '2026-11-30'}.

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
    body: DmarcQueryRequest,
    format_: ExportFormat | Unset = UNSET,
) -> Problem | QueryResponse | None:
    """Query DMARC traffic of one or more domains.

     Group by any of day, week, month, domain,
    header_from, source_ip, source_network (/24, /48), service, service_category, reporter,
    disposition, dkim_result, spf_result, dkim_domain, spf_domain, alignment and policy;
    filter (`equals`, `not`, `in`, `not_in`, `prefix`, `cidr`; `range` on metrics, per
    group); pick metrics; order; page with `limit` and `cursor`. Queries whose fields a
    rollup holds are answered from it (`answered_from: rollups`); the others (`policy`,
    result fields with source fields, DKIM/SPF domains with metrics other than `messages`)
    scan the raw records within bounds (`answered_from: records`) and are refused with 422
    `query_too_large` beyond them.

    Args:
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.
        body (DmarcQueryRequest): A DMARC query: which domains and days, grouped how, filtered
            how, which metrics, in
            which order, which page. Example: {'domains': ['example.com'], 'filters': [{'field':
            'messages', 'min': 10, 'op': 'range'}], 'from': '2026-09-01', 'group_by': ['source_ip',
            'header_from', 'month'], 'limit': 100, 'metrics': ['messages', 'dmarc_pass'], 'order_by':
            [{'direction': 'desc', 'field': 'messages'}], 'to': '2026-11-30'}.

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
