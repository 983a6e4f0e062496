#!/usr/bin/env python3
"""`GET /api/v1/portfolio` for many domains: latency of one page (limit 100) and of the whole
list (pages of 500), on a fresh SQLite database. Results: docs/benchmarks-server.md.

    python3 benches/portfolio_bench.py --bin target/release/ruad --domains 1000 --reports 3

Makes a tenant (`ruad admin`), starts `ruad serve` (jobs off, so no DNS or evaluation work
runs behind the measurement), registers N domains through the API, uploads R small DMARC
aggregate reports per domain (each on another day of the last 30, 5 records each) plus one
TLS report per domain, then times each request `--repeat` times and prints one JSON
document (median and max in ms, the total the API reports, the number of rows) plus a
Markdown line on stderr. Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

DAY = 86_400


def env_for(db_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUAD_")}
    env.update(
        RUAD_DATABASE_URL=db_url,
        RUAD_JOBS_ENABLED="false",
        RUAD_DNS_RECHECK_HOURS="0",
        RUAD_LOG_FORMAT="text",
    )
    return env


def start_server(binary: str, env: dict):
    server = subprocess.Popen(
        [binary, "serve"],
        env={**env, "RUAD_LISTEN": "127.0.0.1:0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in server.stderr:
        m = re.search(r"listening on (\S+)", line)
        if m:
            # Keep draining its logs so it never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
            return server, "http://" + m.group(1)
    raise RuntimeError("server did not start")


def request(base, key, method, path, body=None, content_type="application/json"):
    req = urllib.request.Request(
        base + path,
        data=body,
        method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": content_type},
    )
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read() or b"null")


def dmarc_report(domain: str, i: int, day: int) -> bytes:
    rows = []
    for r in range(5):
        dkim = "pass" if (i + r) % 4 else "fail"
        rows.append(
            f"<record><row><source_ip>198.51.{r}.{i % 250 + 1}</source_ip><count>{(i * 7 + r) % 90 + 10}</count>"
            f"<policy_evaluated><disposition>none</disposition><dkim>{dkim}</dkim><spf>fail</spf>"
            f"</policy_evaluated></row><identifiers><header_from>{domain}</header_from></identifiers>"
            f"<auth_results><spf><domain>{domain}</domain><result>fail</result></spf></auth_results></record>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feedback><report_metadata>'
        "<org_name>bench.example</org_name><email>noreply@bench.example</email>"
        f"<report_id>{domain}-{i}</report_id><date_range><begin>{day}</begin>"
        f"<end>{day + DAY - 1}</end></date_range></report_metadata><policy_published>"
        f"<domain>{domain}</domain><p>none</p></policy_published>" + "".join(rows) + "</feedback>"
    ).encode()


def tls_report(domain: str, day: int) -> bytes:
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))  # noqa: E731
    return json.dumps(
        {
            "organization-name": "Bench Receiver",
            "date-range": {"start-datetime": iso(day), "end-datetime": iso(day + DAY - 1)},
            "contact-info": "tlsrpt@bench.example",
            "report-id": f"{domain}-tls",
            "policies": [
                {
                    "policy": {"policy-type": "no-policy-found", "policy-domain": domain},
                    "summary": {"total-successful-session-count": 100, "total-failure-session-count": 3},
                    "failure-details": [
                        {"result-type": "starttls-not-supported", "sending-mta-ip": "192.0.2.9",
                         "receiving-mx-hostname": f"mx.{domain}", "failed-session-count": 3}
                    ],
                }
            ],
        }
    ).encode()


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}, result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/ruad")
    ap.add_argument("--domains", type=int, default=1000)
    ap.add_argument("--reports", type=int, default=3, help="DMARC reports per domain")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--clients", type=int, default=4, help="concurrent uploaders while filling")
    args = ap.parse_args()

    workdir = tempfile.mkdtemp(prefix="ruad-portfolio-")
    env = env_for(f"sqlite://{workdir}/ruad.db")
    tenant = json.loads(
        subprocess.check_output([args.bin, "admin", "create-tenant", "--name", "Bench"], env=env)
    )["id"]
    key = json.loads(
        subprocess.check_output(
            [args.bin, "admin", "create-api-key", "--tenant", tenant, "--role", "admin"], env=env
        )
    )["key"]
    server, base = start_server(args.bin, env)
    try:
        domains = [f"d{i:04d}.bench.example" for i in range(args.domains)]
        now = int(time.time())
        today = now - now % DAY
        started = time.monotonic()
        for d in domains:
            request(base, key, "POST", "/api/v1/domains", json.dumps({"name": d}).encode())

        def fill(d):
            for i in range(args.reports):
                day = today - ((i * 9 + len(d)) % 29 + 1) * DAY
                request(base, key, "POST", "/api/v1/reports", dmarc_report(d, i, day), "application/xml")
            request(base, key, "POST", "/api/v1/reports", tls_report(d, today - 2 * DAY), "application/json")

        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(fill, domains))
        fill_s = round(time.monotonic() - started, 1)

        def one_page():
            return request(base, key, "GET", "/api/v1/portfolio?limit=100&sort=attention")

        def whole_list():
            rows, cursor = 0, None
            while True:
                q = {"limit": 500, "sort": "pass_rate", "order": "asc"}
                if cursor:
                    q["cursor"] = cursor
                page = request(base, key, "GET", "/api/v1/portfolio?" + urllib.parse.urlencode(q))
                rows += len(page["items"])
                cursor = page["next_cursor"]
                if not cursor:
                    return {"total": page["total"], "rows": rows}

        page_t, page = timed(one_page, args.repeat)
        whole_t, whole = timed(whole_list, args.repeat)
        out = {
            "domains": args.domains,
            "dmarc_reports": args.domains * args.reports,
            "tls_reports": args.domains,
            "fill_seconds": fill_s,
            "page_limit_100": {**page_t, "total": page["total"], "rows": len(page["items"])},
            "whole_list_pages_of_500": {**whole_t, **whole},
        }
        print(json.dumps(out, indent=2))
        print(
            f"| {args.domains} | {args.domains * (args.reports + 1)} | {page_t['median_ms']} "
            f"(max {page_t['max_ms']}) | {whole_t['median_ms']} (max {whole_t['max_ms']}) |",
            file=sys.stderr,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
