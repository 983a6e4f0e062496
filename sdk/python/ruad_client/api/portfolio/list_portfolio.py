from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_portfolio_order import ListPortfolioOrder
from ...models.list_portfolio_sort import ListPortfolioSort
from ...models.portfolio_response import PortfolioResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort: ListPortfolioSort | Unset = UNSET,
    order: ListPortfolioOrder | Unset = UNSET,
    tenant: str | Unset = UNSET,
    attention: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["limit"] = limit

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params["tenant"] = tenant

    params["attention"] = attention

    params["from"] = from_

    params["to"] = to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/portfolio",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PortfolioResponse | Problem | None:
    if response.status_code == 200:
        response_200 = PortfolioResponse.from_dict(response.json())

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
) -> Response[PortfolioResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort: ListPortfolioSort | Unset = UNSET,
    order: ListPortfolioOrder | Unset = UNSET,
    tenant: str | Unset = UNSET,
    attention: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> Response[PortfolioResponse | Problem]:
    """Every domain of the caller's subtree with its DMARC volume and pass rate, TLS sessions,
    published DMARC policy, unresolved issues by severity and last report, and whether it
    needs attention: an unresolved critical issue, no valid DMARC policy or `p=none`, a pass
    rate under 90 %, or no report for 7 days. Read from per-domain daily rollups kept at
    ingest, so its cost grows with the number of domains, not of reports.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        sort (ListPortfolioSort | Unset): What the portfolio is sorted by.
        order (ListPortfolioOrder | Unset): Sort direction.
        tenant (str | Unset):
        attention (bool | Unset):
        from_ (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortfolioResponse | Problem]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        limit=limit,
        sort=sort,
        order=order,
        tenant=tenant,
        attention=attention,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort: ListPortfolioSort | Unset = UNSET,
    order: ListPortfolioOrder | Unset = UNSET,
    tenant: str | Unset = UNSET,
    attention: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> PortfolioResponse | Problem | None:
    """Every domain of the caller's subtree with its DMARC volume and pass rate, TLS sessions,
    published DMARC policy, unresolved issues by severity and last report, and whether it
    needs attention: an unresolved critical issue, no valid DMARC policy or `p=none`, a pass
    rate under 90 %, or no report for 7 days. Read from per-domain daily rollups kept at
    ingest, so its cost grows with the number of domains, not of reports.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        sort (ListPortfolioSort | Unset): What the portfolio is sorted by.
        order (ListPortfolioOrder | Unset): Sort direction.
        tenant (str | Unset):
        attention (bool | Unset):
        from_ (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortfolioResponse | Problem
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        limit=limit,
        sort=sort,
        order=order,
        tenant=tenant,
        attention=attention,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort: ListPortfolioSort | Unset = UNSET,
    order: ListPortfolioOrder | Unset = UNSET,
    tenant: str | Unset = UNSET,
    attention: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> Response[PortfolioResponse | Problem]:
    """Every domain of the caller's subtree with its DMARC volume and pass rate, TLS sessions,
    published DMARC policy, unresolved issues by severity and last report, and whether it
    needs attention: an unresolved critical issue, no valid DMARC policy or `p=none`, a pass
    rate under 90 %, or no report for 7 days. Read from per-domain daily rollups kept at
    ingest, so its cost grows with the number of domains, not of reports.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        sort (ListPortfolioSort | Unset): What the portfolio is sorted by.
        order (ListPortfolioOrder | Unset): Sort direction.
        tenant (str | Unset):
        attention (bool | Unset):
        from_ (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortfolioResponse | Problem]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        limit=limit,
        sort=sort,
        order=order,
        tenant=tenant,
        attention=attention,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort: ListPortfolioSort | Unset = UNSET,
    order: ListPortfolioOrder | Unset = UNSET,
    tenant: str | Unset = UNSET,
    attention: bool | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> PortfolioResponse | Problem | None:
    """Every domain of the caller's subtree with its DMARC volume and pass rate, TLS sessions,
    published DMARC policy, unresolved issues by severity and last report, and whether it
    needs attention: an unresolved critical issue, no valid DMARC policy or `p=none`, a pass
    rate under 90 %, or no report for 7 days. Read from per-domain daily rollups kept at
    ingest, so its cost grows with the number of domains, not of reports.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        sort (ListPortfolioSort | Unset): What the portfolio is sorted by.
        order (ListPortfolioOrder | Unset): Sort direction.
        tenant (str | Unset):
        attention (bool | Unset):
        from_ (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortfolioResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            limit=limit,
            sort=sort,
            order=order,
            tenant=tenant,
            attention=attention,
            from_=from_,
            to=to,
        )
    ).parsed
