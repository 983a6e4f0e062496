from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_format import ExportFormat
from ...models.problem import Problem
from ...models.timeseries_interval import TimeseriesInterval
from ...models.timeseries_kind import TimeseriesKind
from ...models.timeseries_response import TimeseriesResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    domain: str,
    *,
    kind: TimeseriesKind,
    interval: TimeseriesInterval | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind = kind.value
    params["kind"] = json_kind

    json_interval: str | Unset = UNSET
    if not isinstance(interval, Unset):
        json_interval = interval.value

    params["interval"] = json_interval

    params["from"] = from_

    params["to"] = to

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/domains/{domain}/timeseries".format(
            domain=quote(str(domain), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TimeseriesResponse | None:
    if response.status_code == 200:
        response_200 = TimeseriesResponse.from_dict(response.json())

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
) -> Response[Problem | TimeseriesResponse]:
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
    kind: TimeseriesKind,
    interval: TimeseriesInterval | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> Response[Problem | TimeseriesResponse]:
    """DMARC or SMTP TLS results of a domain per day, ISO week or calendar month, to draw trends.

     Each point holds the figures of `dmarc/by-result` (`kind=dmarc`) or `tls/by-result`
    (`kind=tls`) for its bucket. Every bucket of the range is present, zero when no report
    covers it; weeks run Monday to Sunday (UTC), months are calendar months, the first and
    last bucket clipped to the range. Days span at most a year, weeks and months ten years.

    Args:
        domain (str):
        kind (TimeseriesKind): What a timeseries counts.
        interval (TimeseriesInterval | Unset): How long a timeseries bucket is.
        from_ (str | Unset):
        to (str | Unset):
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TimeseriesResponse]
    """

    kwargs = _get_kwargs(
        domain=domain,
        kind=kind,
        interval=interval,
        from_=from_,
        to=to,
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
    kind: TimeseriesKind,
    interval: TimeseriesInterval | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> Problem | TimeseriesResponse | None:
    """DMARC or SMTP TLS results of a domain per day, ISO week or calendar month, to draw trends.

     Each point holds the figures of `dmarc/by-result` (`kind=dmarc`) or `tls/by-result`
    (`kind=tls`) for its bucket. Every bucket of the range is present, zero when no report
    covers it; weeks run Monday to Sunday (UTC), months are calendar months, the first and
    last bucket clipped to the range. Days span at most a year, weeks and months ten years.

    Args:
        domain (str):
        kind (TimeseriesKind): What a timeseries counts.
        interval (TimeseriesInterval | Unset): How long a timeseries bucket is.
        from_ (str | Unset):
        to (str | Unset):
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TimeseriesResponse
    """

    return sync_detailed(
        domain=domain,
        client=client,
        kind=kind,
        interval=interval,
        from_=from_,
        to=to,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    domain: str,
    *,
    client: AuthenticatedClient,
    kind: TimeseriesKind,
    interval: TimeseriesInterval | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> Response[Problem | TimeseriesResponse]:
    """DMARC or SMTP TLS results of a domain per day, ISO week or calendar month, to draw trends.

     Each point holds the figures of `dmarc/by-result` (`kind=dmarc`) or `tls/by-result`
    (`kind=tls`) for its bucket. Every bucket of the range is present, zero when no report
    covers it; weeks run Monday to Sunday (UTC), months are calendar months, the first and
    last bucket clipped to the range. Days span at most a year, weeks and months ten years.

    Args:
        domain (str):
        kind (TimeseriesKind): What a timeseries counts.
        interval (TimeseriesInterval | Unset): How long a timeseries bucket is.
        from_ (str | Unset):
        to (str | Unset):
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TimeseriesResponse]
    """

    kwargs = _get_kwargs(
        domain=domain,
        kind=kind,
        interval=interval,
        from_=from_,
        to=to,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    domain: str,
    *,
    client: AuthenticatedClient,
    kind: TimeseriesKind,
    interval: TimeseriesInterval | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
) -> Problem | TimeseriesResponse | None:
    """DMARC or SMTP TLS results of a domain per day, ISO week or calendar month, to draw trends.

     Each point holds the figures of `dmarc/by-result` (`kind=dmarc`) or `tls/by-result`
    (`kind=tls`) for its bucket. Every bucket of the range is present, zero when no report
    covers it; weeks run Monday to Sunday (UTC), months are calendar months, the first and
    last bucket clipped to the range. Days span at most a year, weeks and months ten years.

    Args:
        domain (str):
        kind (TimeseriesKind): What a timeseries counts.
        interval (TimeseriesInterval | Unset): How long a timeseries bucket is.
        from_ (str | Unset):
        to (str | Unset):
        format_ (ExportFormat | Unset): The format parameter as the spec shows it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TimeseriesResponse
    """

    return (
        await asyncio_detailed(
            domain=domain,
            client=client,
            kind=kind,
            interval=interval,
            from_=from_,
            to=to,
            format_=format_,
        )
    ).parsed
