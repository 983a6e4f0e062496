from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.issue_code import IssueCode
from ...models.issue_list_response import IssueListResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    domain: str,
    *,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

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
        "url": "/api/v1/domains/{domain}/issues".format(
            domain=quote(str(domain), safe=""),
        ),
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
) -> Response[IssueListResponse | Problem]:
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
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[IssueListResponse | Problem]:
    """List one domain's issues, most severe first. By default only open and acknowledged
    issues.

    Args:
        domain (str):
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
    domain: str,
    *,
    client: AuthenticatedClient,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> IssueListResponse | Problem | None:
    """List one domain's issues, most severe first. By default only open and acknowledged
    issues.

    Args:
        domain (str):
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
        domain=domain,
        client=client,
        severity=severity,
        status=status,
        code=code,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    domain: str,
    *,
    client: AuthenticatedClient,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[IssueListResponse | Problem]:
    """List one domain's issues, most severe first. By default only open and acknowledged
    issues.

    Args:
        domain (str):
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
    domain: str,
    *,
    client: AuthenticatedClient,
    severity: str | Unset = UNSET,
    status: str | Unset = UNSET,
    code: IssueCode | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> IssueListResponse | Problem | None:
    """List one domain's issues, most severe first. By default only open and acknowledged
    issues.

    Args:
        domain (str):
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
            domain=domain,
            client=client,
            severity=severity,
            status=status,
            code=code,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
