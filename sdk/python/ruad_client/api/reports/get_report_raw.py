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
    report_id: str,
    *,
    original: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["original"] = original

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/reports/{report_id}/raw".format(
            report_id=quote(str(report_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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
    report_id: str,
    *,
    client: AuthenticatedClient,
    original: bool | Unset = UNSET,
) -> Response[File | Problem]:
    """Download a report's own payload (its XML or JSON, unpacked from whatever container it came
    in), or with `original=true` the whole upload it came in. The media type is what the
    bytes are (never the uploader's declared type), and `Content-Disposition` gives a file
    name: the original one when known (the multipart file name, the zip member or the email
    attachment), else the RFC 7489 §7.2.1.1 / RFC 8460 §5.3.1 name
    `receiver!domain!begin!end.xml|json`.

    Args:
        report_id (str):
        original (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        report_id=report_id,
        original=original,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    report_id: str,
    *,
    client: AuthenticatedClient,
    original: bool | Unset = UNSET,
) -> File | Problem | None:
    """Download a report's own payload (its XML or JSON, unpacked from whatever container it came
    in), or with `original=true` the whole upload it came in. The media type is what the
    bytes are (never the uploader's declared type), and `Content-Disposition` gives a file
    name: the original one when known (the multipart file name, the zip member or the email
    attachment), else the RFC 7489 §7.2.1.1 / RFC 8460 §5.3.1 name
    `receiver!domain!begin!end.xml|json`.

    Args:
        report_id (str):
        original (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        report_id=report_id,
        client=client,
        original=original,
    ).parsed


async def asyncio_detailed(
    report_id: str,
    *,
    client: AuthenticatedClient,
    original: bool | Unset = UNSET,
) -> Response[File | Problem]:
    """Download a report's own payload (its XML or JSON, unpacked from whatever container it came
    in), or with `original=true` the whole upload it came in. The media type is what the
    bytes are (never the uploader's declared type), and `Content-Disposition` gives a file
    name: the original one when known (the multipart file name, the zip member or the email
    attachment), else the RFC 7489 §7.2.1.1 / RFC 8460 §5.3.1 name
    `receiver!domain!begin!end.xml|json`.

    Args:
        report_id (str):
        original (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        report_id=report_id,
        original=original,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    report_id: str,
    *,
    client: AuthenticatedClient,
    original: bool | Unset = UNSET,
) -> File | Problem | None:
    """Download a report's own payload (its XML or JSON, unpacked from whatever container it came
    in), or with `original=true` the whole upload it came in. The media type is what the
    bytes are (never the uploader's declared type), and `Content-Disposition` gives a file
    name: the original one when known (the multipart file name, the zip member or the email
    attachment), else the RFC 7489 §7.2.1.1 / RFC 8460 §5.3.1 name
    `receiver!domain!begin!end.xml|json`.

    Args:
        report_id (str):
        original (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            report_id=report_id,
            client=client,
            original=original,
        )
    ).parsed
