#!/usr/bin/env python3
"""Documents and portfolio benchmark for `ruad serve` (issue 15), SQLite and PostgreSQL.

For each backend it creates a fresh database, starts the server (the Server class of
benches/server_bench.py), and loads:

  * one large domain, docs.example: --days reports of --records-per-day records each, one a
    day (90 x 11,112 = 1,000,080 records by default), sources drawn from a pool of
    --source-pool addresses (gen_reports.py --source-pool; 0 = every record a new source);
  * --domains small domains (pNNNN.example) with --small-reports reports of 20 records each,
    for the portfolio.

Then it times, sequentially on one connection, --requests requests each of:

  * the 90-day domain document, HTML and PDF, beside the aggregate calls it is made of
    (dmarc/by-result, dmarc/by-source limit=100, dmarc/by-service) on the same range;
  * GET /api/v1/portfolio with limit=100, and the whole list paged through;
  * the portfolio document, HTML and PDF.

Every answer must be 200; documents must start with <!DOCTYPE html> or %PDF. Reports are
generated once and cached under bench-data/documents/reports/. Standard library only.

    python3 benches/documents_bench.py --bin target/release/ruad            # both backends
    python3 benches/documents_bench.py --bin target/release/ruad --backends sqlite --requests 5
"""

import argparse
import concurrent.futures as cf
import datetime as dt
import importlib.util
import json
import os
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
spec = importlib.util.spec_from_file_location("server_bench", os.path.join(HERE, "server_bench.py"))
sb = importlib.util.module_from_spec(spec)
sys.modules["server_bench"] = sb
spec.loader.exec_module(sb)

DAY = 86_400
BEGIN = 1_767_225_600  # 2026-01-01
BIG = "docs.example"


def day_str(ts):
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d")


def generate(a, cache):
    os.makedirs(cache, exist_ok=True)
    work = []
    for i in range(a.days):
        argv = ["dmarc", "--records", str(a.records_per_day), "--seed", str(40_000 + i),
                "--domain", BIG, "--begin", str(BEGIN + i * DAY), "--report-id", f"docs-{i}",
                "--reporter", "google", "--source-pool", str(a.source_pool)]
        work.append(argv)
    for d in range(a.domains):
        for r in range(a.small_reports):
            argv = ["dmarc", "--records", "20", "--seed", str(50_000 + d * 10 + r),
                    "--domain", f"p{d:04}.example", "--begin", str(BEGIN + (a.days - 1 - r) * DAY),
                    "--report-id", f"p{d}-{r}", "--reporter", "google", "--source-pool", "50"]
            work.append(argv)
    jobs = []
    for argv in work:
        key = "_".join(x.lstrip("-").replace(".", "") for x in argv)
        out = os.path.join(cache, key + ".xml.gz")
        jobs.append((a.gen, argv, out, os.path.join(cache, key + ".summary.json")))
    missing = sum(1 for j in jobs if not os.path.exists(j[3]))
    if missing:
        sb.log(f"generating {missing} report files into {cache}")
    with cf.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        paths = list(pool.map(sb._generate, jobs))
    big = [sb.Report(p, s) for p, s in paths[: a.days]]
    small = [sb.Report(p, s) for p, s in paths[a.days:]]
    return big, small


def timed(client, path, n, check, body=None, refused_ok=False):
    """`n` sequential requests: GET `path`, or POST of the JSON `body` when there is one.
    With `refused_ok`, a 422 problem (a bound of the query) counts as an answer: the result
    then says `refused` with its code."""
    times, size, refused = [], 0, None
    method = "GET" if body is None else "POST"
    data = None if body is None else json.dumps(body).encode()
    for _ in range(n):
        status, answer, elapsed = client.request(method, path, data,
                                                 None if data is None else "application/json")
        if refused_ok and status == 422:
            refused = json.loads(answer).get("code")
        elif status != 200:
            raise RuntimeError(f"{method} {path}: {status} {answer[:300]!r}")
        else:
            check(answer)
        times.append(elapsed)
        size = len(answer)
    return {"p50_ms": sb.pct(times, 50) * 1000, "max_ms": max(times) * 1000, "n": n, "bytes": size,
            "refused": refused}


def is_html(body):
    if not body.lstrip().lower().startswith(b"<!doctype html"):
        raise RuntimeError(f"not an HTML document: {body[:80]!r}")


def is_pdf(body):
    if not body.startswith(b"%PDF"):
        raise RuntimeError(f"not a PDF: {body[:80]!r}")


def is_json(body):
    json.loads(body)


def run_backend(a, backend, big, small, workdir):
    srv = sb.Server(a, backend, workdir)
    try:
        key = srv.bootstrap()
        srv.start()
        # The domains the reports are about: docs.example and the small ones.
        setup = sb.Client(srv.port, key)
        for name in [BIG] + [f"p{d:04}.example" for d in range(a.domains)]:
            status, body, _ = setup.request("POST", "/api/v1/domains",
                                            json.dumps({"name": name}).encode(), "application/json")
            if status != 201:
                raise RuntimeError(f"POST /api/v1/domains {name}: {status} {body[:300]!r}")
        setup.close()
        problems = sb.Problems()
        t0 = time.perf_counter()
        up_big = sb.upload_phase("large", srv, key, big, a.clients, problems, a.records_per_day)
        up_small = sb.upload_phase("small", srv, key, small, a.clients, problems, 20)
        if problems.items:
            raise RuntimeError(f"{len(problems.items)} upload problems, first: {problems.items[0]}")
        load_s = time.perf_counter() - t0
        sb.log(f"{backend}: loaded in {load_s:.0f} s; waiting {a.settle}s for background jobs")
        time.sleep(a.settle)
        c = sb.Client(srv.port, key)
        frm, to = day_str(BEGIN), day_str(BEGIN + (a.days - 1) * DAY)
        rng = f"from={frm}&to={to}"
        rng30 = f"from={day_str(BEGIN + (a.days - 30) * DAY)}&to={to}"
        n = a.requests
        res = {}
        base = f"/api/v1/domains/{BIG}"
        targets = [
            ("dmarc/by-result 90 days", f"{base}/dmarc/by-result?{rng}", is_json),
            ("dmarc/by-source limit=100, 90 days", f"{base}/dmarc/by-source?{rng}&limit=100", is_json),
            ("dmarc/by-service 90 days", f"{base}/dmarc/by-service?{rng}", is_json),
            ("enforcement-readiness 90 days", f"{base}/enforcement-readiness?{rng}", is_json),
            ("dmarc/by-source limit=100, last 30 days", f"{base}/dmarc/by-source?{rng30}&limit=100", is_json),
            ("domain document HTML, 90 days", f"{base}/document?{rng}&format=html", is_html),
            ("domain document PDF, 90 days", f"{base}/document?{rng}&format=pdf", is_pdf),
            ("portfolio limit=100", f"/api/v1/portfolio?{rng}&limit=100", is_json),
            ("portfolio document HTML", f"/api/v1/portfolio/document?{rng}&format=html", is_html),
            ("portfolio document PDF", f"/api/v1/portfolio/document?{rng}&format=pdf", is_pdf),
        ]
        # The flexible query, three fields over the 90 days, a page of 100 groups.
        query = {"domains": [BIG], "from": frm, "to": to,
                 "group_by": ["source_ip", "header_from", "month"],
                 "metrics": ["messages", "dmarc_pass"], "limit": 100}
        targets.insert(5, ("query/dmarc source_ip+header_from+month limit=100, 90 days",
                           ("/api/v1/query/dmarc", query), is_json))
        if a.only_aggregates:
            targets = [t for t in targets if "document" not in t[0] and "portfolio" not in t[0]]
        for label, path, check in targets:
            body = None
            if isinstance(path, tuple):
                path, body = path
            res[label] = timed(c, path, n, check, body, refused_ok=body is not None)
            refused = res[label]["refused"]
            sb.log(f"{backend}: {label}: p50 {res[label]['p50_ms']:.1f} ms"
                   + (f" (refused: {refused})" if refused else ""))
        if a.only_aggregates:
            c.close()
            return {"load_s": load_s, "upload_large": up_big, "upload_small": up_small,
                    "peak_rss_mib": (sb.vm_hwm_kib(srv.proc.pid) or 0) / 1024, "results": res,
                    "sizes": sb.sizes(srv)}
        # the whole portfolio, paged through
        times = []
        for _ in range(n):
            t, cursor, rows = time.perf_counter(), None, 0
            while True:
                path = f"/api/v1/portfolio?{rng}&limit=100"
                if cursor:
                    path += "&cursor=" + urllib.parse.quote(cursor)
                status, body, _ = c.request("GET", path)
                if status != 200:
                    raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
                page = json.loads(body)
                rows += len(page["items"])
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            times.append(time.perf_counter() - t)
        if rows != a.domains + 1:
            raise RuntimeError(f"portfolio paged through {rows} rows, expected {a.domains + 1}")
        res[f"portfolio whole list ({rows} domains, paged by 100)"] = {
            "p50_ms": sb.pct(times, 50) * 1000, "max_ms": max(times) * 1000, "n": n, "bytes": 0}
        c.close()
        return {"load_s": load_s, "upload_large": up_big, "upload_small": up_small,
                "peak_rss_mib": (sb.vm_hwm_kib(srv.proc.pid) or 0) / 1024, "results": res,
                "sizes": sb.sizes(srv)}
    finally:
        srv.stop()
        if not a.keep_db:
            srv.drop()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=os.path.join(ROOT, "target/release/ruad"))
    p.add_argument("--gen", default=os.path.join(ROOT, "../shared/tools/gen_reports.py"))
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--records-per-day", type=int, default=11_112)
    p.add_argument("--source-pool", type=int, default=20_000)
    p.add_argument("--domains", type=int, default=1_000)
    p.add_argument("--small-reports", type=int, default=2)
    p.add_argument("--requests", type=int, default=10)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--settle", type=int, default=20, help="seconds to let background jobs run")
    p.add_argument("--keep-db", action="store_true")
    p.add_argument("--only-aggregates", action="store_true",
                   help="time the aggregate, readiness and query calls only (no documents, no portfolio)")
    p.add_argument("--generate-only", action="store_true", help="make the report files and stop")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--pg-host", default="127.0.0.1")
    p.add_argument("--pg-port", type=int, default=5432)
    p.add_argument("--pg-user", default="postgres")
    a = p.parse_args()
    a.bin = os.path.abspath(a.bin)
    a.gen = os.path.abspath(a.gen)
    data = os.path.join(ROOT, "bench-data", "documents")
    big, small = generate(a, os.path.join(data, "reports"))
    sb.log(f"{len(big)} large reports ({sum(r.summary['records'] for r in big):,} records), "
           f"{len(small)} small reports over {a.domains} domains")
    if a.generate_only:
        return 0
    out = {"args": vars(a), "machine": sb.machine(), "backends": {}}
    for backend in a.backends.split(","):
        workdir = os.path.join(data, "run")
        os.makedirs(workdir, exist_ok=True)
        out["backends"][backend] = run_backend(a, backend, big, small, workdir)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = os.path.join(data, f"results-{stamp}.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
    print(f"| measure | " + " | ".join(out["backends"]) + " |")
    print("|---|" + "---:|" * len(out["backends"]))
    labels = next(iter(out["backends"].values()))["results"].keys()
    for label in labels:
        cells = [f"{b['results'][label]['p50_ms']:,.1f} ms (max {b['results'][label]['max_ms']:,.0f})"
                 for b in out["backends"].values()]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| load time | " + " | ".join(f"{b['load_s']:.0f} s" for b in out["backends"].values()) + " |")
    print("| server peak RSS | " + " | ".join(f"{b['peak_rss_mib']:.0f} MiB" for b in out["backends"].values()) + " |")
    for backend, b in out["backends"].items():
        sb.log(f"{backend} rows: {b['sizes'].get('rows')}")
        sb.log(f"{backend} largest objects: {b['sizes'].get('largest_objects')}")
    sb.log(f"results: {path}")


if __name__ == "__main__":
    sys.exit(main())
