"""A real MCP client for ruad's tests: the reference Python SDK (PyPI `mcp`).

    client.py stdio RUAD_BINARY DOMAIN FROM TO   (RUAD_* settings and RUAD_MCP_API_KEY in the env)
    client.py http URL KEY DOMAIN FROM TO

Connects (spawning `ruad mcp`, or over streamable HTTP with `Authorization: Bearer KEY`),
initializes, lists the tools and calls several of them, then prints one JSON document on
stdout for the Rust test (tests/api/mcp.rs) to check: the server name, the tools with their
input schemas, and each call's isError, structured content and text.
"""

import asyncio
import json
import sys

from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client


async def exercise(session, domain, day_from, day_to):
    init = await session.initialize()
    listed = await session.list_tools()
    out = {
        "server": init.server_info.name,
        "tools": {t.name: t.input_schema for t in listed.tools},
        "calls": [],
    }

    async def call(name, arguments):
        result = await session.call_tool(name, arguments)
        out["calls"].append(
            {
                "name": name,
                "arguments": arguments,
                "is_error": bool(result.is_error),
                "structured": result.structured_content,
                "text": [c.text for c in result.content if getattr(c, "type", None) == "text"],
            }
        )

    await call("list_domains", {})
    await call("get_dmarc_by_result", {"domain": domain, "from": day_from, "to": day_to})
    await call("get_dmarc_by_source", {"domain": domain, "from": day_from, "to": day_to, "limit": 10})
    await call("list_domain_issues", {"domain": domain, "status": "all"})
    await call("generate_dns_record", {"kind": "dmarc", "input": {"domain": domain, "p": "reject"}})
    # Failures are tool errors with a message, not protocol errors.
    await call("get_dmarc_by_result", {"domain": "not-registered.example", "from": day_from, "to": day_to})
    await call("get_dmarc_by_result", {"domain": domain, "from": "yesterday"})
    # The flexible query takes the API's request body, typed fields and all.
    await call(
        "query_dmarc",
        {"domains": [domain], "from": day_from, "to": day_to, "group_by": ["source_ip"],
         "filters": [{"field": "source_ip", "op": "cidr", "value": "1.2.3.0/24"}]},
    )
    return out


async def main(argv):
    mode = argv[1]
    if mode == "stdio":
        binary, domain, day_from, day_to = argv[2:6]
        params = StdioServerParameters(command=binary, args=["mcp"], env=None)
        # The SDK passes only a safe default environment: hand the RUAD_* settings on.
        import os

        params.env = {k: v for k, v in os.environ.items() if k.startswith("RUAD_")}
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                return await exercise(session, domain, day_from, day_to)
    if mode == "http":
        url, key, domain, day_from, day_to = argv[2:7]
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {key}"})
        async with http:
            async with streamable_http_client(url, http_client=http) as streams:
                read, write = streams[0], streams[1]
                async with ClientSession(read, write) as session:
                    return await exercise(session, domain, day_from, day_to)
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv))))
