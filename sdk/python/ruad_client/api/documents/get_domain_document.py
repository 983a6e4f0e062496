from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    domain: str,
    *,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    format_: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["from"] = from_

    params["to"] = to

    params["format"] = format_

    params["language"] = language

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/domains/{domain}/document".format(
            domain=quote(str(domain), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.text))

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
) -> Response[File | Problem]:
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
    format_: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Response[File | Problem]:
    """A domain's report for a period: summary (messages, DMARC pass rate, published policy,
    change against the previous period of the same length), daily trend chart, DMARC by
    result, sending sources and services with their compliance, SMTP TLS by result, per
    reporting organization and per failure path, open issues with their remediation, and the
    latest DNS check of each kind. HTML and PDF carry the same content; tables list the
    largest 50 rows and say how many were left out.

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):
        format_ (str | Unset):
        language (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        domain=domain,
        from_=from_,
        to=to,
        format_=format_,
        language=language,
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
    format_: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> File | Problem | None:
    """A domain's report for a period: summary (messages, DMARC pass rate, published policy,
    change against the previous period of the same length), daily trend chart, DMARC by
    result, sending sources and services with their compliance, SMTP TLS by result, per
    reporting organization and per failure path, open issues with their remediation, and the
    latest DNS check of each kind. HTML and PDF carry the same content; tables list the
    largest 50 rows and say how many were left out.

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):
        format_ (str | Unset):
        language (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        domain=domain,
        client=client,
        from_=from_,
        to=to,
        format_=format_,
        language=language,
    ).parsed


async def asyncio_detailed(
    domain: str,
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    format_: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Response[File | Problem]:
    """A domain's report for a period: summary (messages, DMARC pass rate, published policy,
    change against the previous period of the same length), daily trend chart, DMARC by
    result, sending sources and services with their compliance, SMTP TLS by result, per
    reporting organization and per failure path, open issues with their remediation, and the
    latest DNS check of each kind. HTML and PDF carry the same content; tables list the
    largest 50 rows and say how many were left out.

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):
        format_ (str | Unset):
        language (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        domain=domain,
        from_=from_,
        to=to,
        format_=format_,
        language=language,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    domain: str,
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    format_: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> File | Problem | None:
    """A domain's report for a period: summary (messages, DMARC pass rate, published policy,
    change against the previous period of the same length), daily trend chart, DMARC by
    result, sending sources and services with their compliance, SMTP TLS by result, per
    reporting organization and per failure path, open issues with their remediation, and the
    latest DNS check of each kind. HTML and PDF carry the same content; tables list the
    largest 50 rows and say how many were left out.

    Args:
        domain (str):
        from_ (str | Unset):
        to (str | Unset):
        format_ (str | Unset):
        language (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            domain=domain,
            client=client,
            from_=from_,
            to=to,
            format_=format_,
            language=language,
        )
    ).parsed
