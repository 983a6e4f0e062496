"""End to end through the SDK only: domains, uploads, paging, aggregates, tenancy, tokens.

The synchronous client runs the whole scenario; the asynchronous one the same reads."""

import io
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ruad_client import AuthenticatedClient
from ruad_client.api.aggregates import (
    get_dmarc_by_result,
    get_dmarc_by_source,
    get_tls_by_result,
    get_tls_by_source,
)
from ruad_client.api.auth import create_token
from ruad_client.api.domains import create_domain, get_domain, list_domains
from ruad_client.api.reports import list_reports, upload_report
from ruad_client.models import (
    CreateDomainRequest,
    CreateTokenRequest,
    DmarcByResultResponse,
    DmarcBySourceResponse,
    DomainListResponse,
    DomainResponse,
    ErrorCode,
    Problem,
    ReportKind,
    ReportListResponse,
    Role,
    TlsByResultResponse,
    TlsBySourceResponse,
    TokenResponse,
    UploadResponse,
)
from ruad_client.types import UNSET, File


def day(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()


def nonzero(counts) -> dict[str, int]:
    return {k: v for k, v in counts.to_dict().items() if v}


def bootstrap(ruad, name: str) -> tuple[str, str]:
    tenant = ruad.admin("create-tenant", "--name", name)["id"]
    key = ruad.admin("create-api-key", "--tenant", tenant, "--role", "admin")["key"]
    return tenant, key


def upload(client: AuthenticatedClient, data: bytes) -> UploadResponse:
    reply = upload_report.sync(client=client, body=File(payload=io.BytesIO(data)))
    assert isinstance(reply, UploadResponse), reply
    return reply


def dmarc_range(corpus) -> dict:
    return {"from_": day(corpus["dmarc"]["begin"]), "to": day(corpus["dmarc"]["end"])}


def tls_range(corpus) -> dict:
    return {"from_": corpus["tls"]["begin_date"][:10], "to": corpus["tls"]["end_date"][:10]}


def check_dmarc(by_result, by_source, expected) -> None:
    assert isinstance(by_result, DmarcByResultResponse), by_result
    assert by_result.total_messages == expected["messages"]
    assert by_result.dmarc_pass_messages == expected["dmarc_pass_messages"]
    assert by_result.dmarc_fail_messages == expected["messages"] - expected["dmarc_pass_messages"]
    assert nonzero(by_result.disposition) == expected["disposition"]
    assert nonzero(by_result.dkim_aligned) == expected["dkim_aligned"]
    assert nonzero(by_result.spf_aligned) == expected["spf_aligned"]
    assert isinstance(by_source, DmarcBySourceResponse), by_source
    assert by_source.total_sources == expected["distinct_source_ips"]
    assert sum(s.messages for s in by_source.sources) == expected["messages"]


def check_tls(by_result, by_source, expected) -> None:
    assert isinstance(by_result, TlsByResultResponse), by_result
    assert by_result.successful_sessions == expected["successful_sessions"]
    assert by_result.failed_sessions == expected["failed_sessions"]
    assert by_result.total_sessions == expected["successful_sessions"] + expected["failed_sessions"]
    assert nonzero(by_result.failed_sessions_by_result_type) == expected["failed_sessions_by_result_type"]
    assert isinstance(by_source, TlsBySourceResponse), by_source
    assert sum(o.successful_sessions for o in by_source.organizations) == expected["successful_sessions"]
    assert sum(o.failed_sessions for o in by_source.organizations) == expected["failed_sessions"]
    assert sum(f.failed_sessions for f in by_source.failures) == sum(
        expected["failed_sessions_by_result_type"].values()
    )


def test_the_sync_client_covers_the_whole_scenario(ruad, corpus):
    _, key = bootstrap(ruad, "Operator")
    _, other_key = bootstrap(ruad, "Other operator")
    client = AuthenticatedClient(base_url=ruad.base_url, token=key)
    other = AuthenticatedClient(base_url=ruad.base_url, token=other_key)

    domain = create_domain.sync(client=client, body=CreateDomainRequest(name="example.com"))
    assert isinstance(domain, DomainResponse), domain
    assert domain.name == "example.com"
    assert isinstance(create_domain.sync(client=other, body=CreateDomainRequest(name="other.example")), DomainResponse)

    dmarc = upload(client, corpus["dmarc"]["data"])
    assert [(r.kind, r.domain, r.duplicate) for r in dmarc.reports] == [
        (ReportKind.DMARC_AGGREGATE, "example.com", False)
    ]
    tls = upload(client, corpus["tls"]["data"])
    assert [(r.kind, r.domain, r.duplicate) for r in tls.reports] == [(ReportKind.TLS_REPORT, "example.com", False)]
    assert upload(client, corpus["tls"]["data"]).reports[0].duplicate

    # Two reports, one per page.
    seen, cursor, pages = [], None, 0
    while True:
        page = list_reports.sync(client=client, limit=1, cursor=cursor or UNSET)
        assert isinstance(page, ReportListResponse), page
        assert len(page.items) <= 1
        seen += [r.id for r in page.items]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted([dmarc.reports[0].id, tls.reports[0].id])
    assert pages >= 2

    check_dmarc(
        get_dmarc_by_result.sync("example.com", client=client, **dmarc_range(corpus)),
        get_dmarc_by_source.sync("example.com", client=client, **dmarc_range(corpus)),
        corpus["dmarc"],
    )
    check_tls(
        get_tls_by_result.sync("example.com", client=client, **tls_range(corpus)),
        get_tls_by_source.sync("example.com", client=client, **tls_range(corpus)),
        corpus["tls"],
    )

    # Another tenant's domain does not exist for this key: a typed 404 problem.
    missing = get_domain.sync_detailed("other.example", client=client)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert isinstance(missing.parsed, Problem)
    assert missing.parsed.code == ErrorCode.NOT_FOUND
    assert missing.parsed.status == 404

    # The key buys a short-lived reader JWT; the JWT reads but may not write.
    token = create_token.sync(client=client, body=CreateTokenRequest(role=Role.READER, ttl_seconds=600))
    assert isinstance(token, TokenResponse), token
    assert token.role == Role.READER
    reader = AuthenticatedClient(base_url=ruad.base_url, token=token.token)
    domains = list_domains.sync(client=reader)
    assert isinstance(domains, DomainListResponse), domains
    assert [d.name for d in domains.items] == ["example.com"]
    refused = create_domain.sync(client=reader, body=CreateDomainRequest(name="example.org"))
    assert isinstance(refused, Problem) and refused.code == ErrorCode.FORBIDDEN


@pytest.mark.asyncio
async def test_the_async_client_reads_the_same_figures(ruad, corpus):
    _, key = bootstrap(ruad, "Operator")
    _, other_key = bootstrap(ruad, "Other operator")
    async with AuthenticatedClient(base_url=ruad.base_url, token=key) as client:
        domain = await create_domain.asyncio(client=client, body=CreateDomainRequest(name="example.com"))
        assert isinstance(domain, DomainResponse), domain
        for name in ("dmarc", "tls"):
            # httpx's async client cannot stream a sync file object: the payload is the bytes.
            reply = await upload_report.asyncio(client=client, body=File(payload=corpus[name]["data"]))
            assert isinstance(reply, UploadResponse), reply

        page = await list_reports.asyncio(client=client, limit=1)
        assert isinstance(page, ReportListResponse) and len(page.items) == 1 and page.next_cursor
        last = await list_reports.asyncio(client=client, limit=1, cursor=page.next_cursor)
        assert isinstance(last, ReportListResponse) and len(last.items) == 1 and not last.next_cursor

        check_dmarc(
            await get_dmarc_by_result.asyncio("example.com", client=client, **dmarc_range(corpus)),
            await get_dmarc_by_source.asyncio("example.com", client=client, **dmarc_range(corpus)),
            corpus["dmarc"],
        )
        check_tls(
            await get_tls_by_result.asyncio("example.com", client=client, **tls_range(corpus)),
            await get_tls_by_source.asyncio("example.com", client=client, **tls_range(corpus)),
            corpus["tls"],
        )

        async with AuthenticatedClient(base_url=ruad.base_url, token=other_key) as other:
            await create_domain.asyncio(client=other, body=CreateDomainRequest(name="other.example"))
        missing = await get_domain.asyncio("other.example", client=client)
        assert isinstance(missing, Problem) and missing.code == ErrorCode.NOT_FOUND

        token = await create_token.asyncio(client=client, body=CreateTokenRequest(role=Role.READER))
        assert isinstance(token, TokenResponse), token
    async with AuthenticatedClient(base_url=ruad.base_url, token=token.token) as reader:
        domains = await list_domains.asyncio(client=reader)
        assert isinstance(domains, DomainListResponse) and [d.name for d in domains.items] == ["example.com"]


def test_the_readme_example_runs_as_written(ruad, corpus, tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    example = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "quickstart.py").write_text(example)
    (tmp_path / "report.xml.gz").write_bytes(corpus["dmarc"]["data"])
    _, key = bootstrap(ruad, "Operator")
    env = {**os.environ, "RUAD_URL": ruad.base_url, "RUAD_KEY": key}
    for run in range(2):  # the second run finds the domain registered and the report stored
        out = subprocess.run(
            [sys.executable, "quickstart.py", "report.xml.gz"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, out.stderr
        assert f"(duplicate: {run == 1})" in out.stdout
        assert f"DMARC: {corpus['dmarc']['messages']} messages" in out.stdout, out.stdout
        # Years-old reports: at least "no recent reports" is open.
        assert re.search(r"^[1-9]\d* open issues of example\.com$", out.stdout, re.M), out.stdout
