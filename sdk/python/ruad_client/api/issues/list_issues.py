from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.issue_code import IssueCode
from ...models.issue_list_response import IssueListResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    tenant_id: str | Unset = UNSET,
    domain: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["tenant_id"] = tenant_id

    params["domain"] = domain

    params["severity"] = severity

    params["status"] = status

    json_code: str | Unset = UNSET
    if not isinstance(code, Unset):
        json_code = code.value

    params["code"] = json_code

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/issues",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> IssueListResponse | Problem | None:
    if response.status_code == 200:
        response_200 = IssueListResponse.from_dict(response.json())

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
) -> Response[IssueListResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    tenant_id: str | Unset = UNSET,
    domain: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[IssueListResponse | Problem]:
    """List the issues of every domain the caller can see, most severe first, then most
    recently seen. By default only open and acknowledged issues.

    Args:
        tenant_id (str | Unset):
        domain (str | Unset):
        severity (str | Unset):
        status (str | Unset):
        code (IssueCode | Unset): Stable identifier of a rule's conclusion: clients branch on it,
            so a code is never renamed
            or reused for another meaning.
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IssueListResponse | Problem]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        domain=domain,
        severity=severity,
        status=status,
        code=code,
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
    tenant_id: str | Unset = UNSET,
    domain: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> IssueListResponse | Problem | None:
    """List the issues of every domain the caller can see, most severe first, then most
    recently seen. By default only open and acknowledged issues.

    Args:
        tenant_id (str | Unset):
        domain (str | Unset):
        severity (str | Unset):
        status (str | Unset):
        code (IssueCode | Unset): Stable identifier of a rule's conclusion: clients branch on it,
            so a code is never renamed
            or reused for another meaning.
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IssueListResponse | Problem
    """

    return sync_detailed(
        client=client,
        tenant_id=tenant_id,
        domain=domain,
        severity=severity,
        status=status,
        code=code,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    tenant_id: str | Unset = UNSET,
    domain: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[IssueListResponse | Problem]:
    """List the issues of every domain the caller can see, most severe first, then most
    recently seen. By default only open and acknowledged issues.

    Args:
        tenant_id (str | Unset):
        domain (str | Unset):
        severity (str | Unset):
        status (str | Unset):
        code (IssueCode | Unset): Stable identifier of a rule's conclusion: clients branch on it,
            so a code is never renamed
            or reused for another meaning.
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IssueListResponse | Problem]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        domain=domain,
        severity=severity,
        status=status,
        code=code,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    tenant_id: str | Unset = UNSET,
    domain: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> IssueListResponse | Problem | None:
    """List the issues of every domain the caller can see, most severe first, then most
    recently seen. By default only open and acknowledged issues.

    Args:
        tenant_id (str | Unset):
        domain (str | Unset):
        severity (str | Unset):
        status (str | Unset):
        code (IssueCode | Unset): Stable identifier of a rule's conclusion: clients branch on it,
            so a code is never renamed
            or reused for another meaning.
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IssueListResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            tenant_id=tenant_id,
            domain=domain,
            severity=severity,
            status=status,
            code=code,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
