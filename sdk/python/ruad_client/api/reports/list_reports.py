from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.report_kind import ReportKind
from ...models.report_list_response import ReportListResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    domain: str | Unset = UNSET,
    kind: ReportKind | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    reporter: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["domain"] = domain

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params["from"] = from_

    params["to"] = to

    params["reporter"] = reporter

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/reports",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReportListResponse | None:
    if response.status_code == 200:
        response_200 = ReportListResponse.from_dict(response.json())

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
) -> Response[Problem | ReportListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    domain: str | Unset = UNSET,
    kind: ReportKind | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    reporter: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[Problem | ReportListResponse]:
    """List reports, newest range first.

    Args:
        domain (str | Unset):
        kind (ReportKind | Unset): Kind of report.
        from_ (str | Unset):
        to (str | Unset):
        reporter (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReportListResponse]
    """

    kwargs = _get_kwargs(
        domain=domain,
        kind=kind,
        from_=from_,
        to=to,
        reporter=reporter,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    domain: str | Unset = UNSET,
    kind: ReportKind | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    reporter: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Problem | ReportListResponse | None:
    """List reports, newest range first.

    Args:
        domain (str | Unset):
        kind (ReportKind | Unset): Kind of report.
        from_ (str | Unset):
        to (str | Unset):
        reporter (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReportListResponse
    """

    return sync_detailed(
        client=client,
        domain=domain,
        kind=kind,
        from_=from_,
        to=to,
        reporter=reporter,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    domain: str | Unset = UNSET,
    kind: ReportKind | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    reporter: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[Problem | ReportListResponse]:
    """List reports, newest range first.

    Args:
        domain (str | Unset):
        kind (ReportKind | Unset): Kind of report.
        from_ (str | Unset):
        to (str | Unset):
        reporter (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReportListResponse]
    """

    kwargs = _get_kwargs(
        domain=domain,
        kind=kind,
        from_=from_,
        to=to,
        reporter=reporter,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    domain: str | Unset = UNSET,
    kind: ReportKind | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    reporter: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Problem | ReportListResponse | None:
    """List reports, newest range first.

    Args:
        domain (str | Unset):
        kind (ReportKind | Unset): Kind of report.
        from_ (str | Unset):
        to (str | Unset):
        reporter (str | Unset):
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReportListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            domain=domain,
            kind=kind,
            from_=from_,
            to=to,
            reporter=reporter,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
