#!/usr/bin/env python3
"""Ingest contention benchmark: small-upload throughput of one tenant while another tenant's
upload is being processed, for one or more ruad binaries side by side in one run.

For each binary, on a fresh SQLite database, it measures how many small DMARC reports per
second tenant B stores (`--clients` concurrent uploaders, for `--seconds` each phase) in
three phases:

  idle     nothing else running
  bomb     tenant A posts a gzip-in-gzip bomb (a few KB holding an XML document of millions of
           empty unknown elements, which takes seconds to parse before it is refused) to
           /reports, again and again
  large    tenant A uploads a 200,000-record DMARC report, again and again (each a new report)

and prints one JSON document with the numbers, plus a Markdown table on stderr.

    python3 benches/contention.py --bin before=/tmp/ruad-before --bin after=target/release/ruad

Standard library only (plus the shared report generator for the large report).
"""

import argparse
import gzip
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

GEN = os.environ.get("GEN_REPORTS", "/work/shared/tools/gen_reports.py")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def small_report(i):
    return (
        '<?xml version="1.0"?><feedback><version>1.0</version><report_metadata>'
        "<org_name>bench.example</org_name><email>d@bench.example</email>"
        f"<report_id>small-{i}</report_id><date_range><begin>1763337600</begin>"
        "<end>1763423999</end></date_range></report_metadata><policy_published>"
        "<domain>small.test</domain><p>none</p></policy_published><record><row>"
        f"<source_ip>192.0.2.{i % 250 + 1}</source_ip><count>3</count><policy_evaluated>"
        "<disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>"
        "</row><identifiers><header_from>small.test</header_from></identifiers><auth_results>"
        "<spf><domain>small.test</domain><result>pass</result></spf></auth_results></record>"
        "</feedback>"
    ).encode()


def bomb(elements):
    """Many tiny unknown elements: each cheap, together seconds of parsing, and the report is
    refused only at the end (it has no <report_metadata>)."""
    body = b'<?xml version="1.0"?><feedback>' + b"<x></x>" * elements + b"</feedback>"
    return gzip.compress(gzip.compress(body, 6), 6)


def large_report(records, workdir):
    path = os.path.join(workdir, "large.xml")
    subprocess.run(
        [sys.executable, GEN, "dmarc", "--records", str(records), "--domain", "large.test",
         "--out", path],
        check=True,
    )
    with open(path, "rb") as f:
        return f.read()


def request(port, method, path, key=None, body=None, content_type="application/xml"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    if body is not None:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


class Server:
    def __init__(self, binary, workdir):
        self.port = free_port()
        self.workdir = workdir
        env = dict(os.environ)
        env.update({
            "RUAD_DATABASE_URL": f"sqlite://{workdir}/ruad.db",
            "RUAD_LISTEN": f"127.0.0.1:{self.port}",
            "RUAD_JWT_SECRET": "contention-secret-contention-secret-01234",
            "RUAD_JOBS_ENABLED": "false",
            "RUAD_DNS_NAMESERVERS": "127.0.0.1:1",
            "RUAD_DNS_RECHECK_HOURS": "0",
            "RUAD_MAX_DECOMPRESSED_BYTES": str(4 << 30),
            "RUAD_MAX_UPLOAD_BYTES": str(256 << 20),
            "RUST_LOG": "warn",
        })
        self.env = env
        self.binary = binary
        self.keys = {}
        for tenant in ("a", "b"):
            out = subprocess.run([binary, "admin", "create-tenant", "--name", tenant],
                                 env=env, check=True, capture_output=True).stdout
            tid = json.loads(out)["id"]
            out = subprocess.run([binary, "admin", "create-api-key", "--tenant", tid,
                                  "--role", "admin"], env=env, check=True,
                                 capture_output=True).stdout
            self.keys[tenant] = json.loads(out)["key"]
        self.proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(workdir, "server.log"), "wb"))
        for _ in range(200):
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        for tenant, domain in (("a", "large.test"), ("b", "small.test")):
            status, body = request(self.port, "POST", "/api/v1/domains", self.keys[tenant],
                                   json.dumps({"name": domain}).encode(), "application/json")
            assert status == 201, body

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def measure(server, seconds, clients, counter_start):
    """Small uploads stored per second by tenant B over `seconds`, and their p50/max."""
    stop = time.monotonic() + seconds
    done = []
    lock = threading.Lock()
    seq = [counter_start]

    def worker():
        while time.monotonic() < stop:
            with lock:
                seq[0] += 1
                i = seq[0]
            t0 = time.monotonic()
            status, body = request(server.port, "POST", "/api/v1/reports", server.keys["b"],
                                   small_report(i))
            took = time.monotonic() - t0
            assert status == 201, body
            with lock:
                done.append(took)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    done.sort()
    return {
        "uploads": len(done),
        "per_second": round(len(done) / elapsed, 1),
        "p50_ms": round(done[len(done) // 2] * 1000, 1) if done else None,
        "max_ms": round(done[-1] * 1000, 1) if done else None,
    }, seq[0]


def background(server, body, stop_event, results, unique_large=False):
    """Tenant A's heavy upload, repeated until stopped."""
    n = 0
    while not stop_event.is_set():
        n += 1
        payload = body
        if unique_large:
            payload = body.replace(b"<report_id>", f"<report_id>run{n}-".encode(), 1)
        t0 = time.monotonic()
        status, _ = request(server.port, "POST", "/api/v1/reports", server.keys["a"], payload)
        results.append((status, round(time.monotonic() - t0, 2)))


def run_binary(name, binary, args, bomb_body, large_body):
    workdir = tempfile.mkdtemp(prefix=f"contention-{name}-")
    server = Server(binary, workdir)
    out = {"binary": binary}
    try:
        seq = 0
        out["idle"], seq = measure(server, args.seconds, args.clients, seq)
        for phase, body, unique in (("bomb", bomb_body, False), ("large", large_body, True)):
            stop = threading.Event()
            heavy = []
            t = threading.Thread(target=background, args=(server, body, stop, heavy, unique))
            t.start()
            time.sleep(1.0)  # let the heavy upload get going
            out[phase], seq = measure(server, args.seconds, args.clients, seq)
            stop.set()
            t.join()
            out[phase]["heavy_uploads"] = heavy
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", action="append", required=True,
                   help="NAME=PATH of a ruad binary (repeat to compare)")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--records", type=int, default=200_000)
    p.add_argument("--bomb-elements", type=int, default=20_000_000)
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="contention-data-")
    try:
        bomb_body = bomb(args.bomb_elements)
        large_body = large_report(args.records, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results = {"bomb_bytes": len(bomb_body), "large_bytes": len(large_body),
               "records": args.records, "seconds": args.seconds, "clients": args.clients,
               "runs": {}}
    for spec in args.bin:
        name, _, path = spec.partition("=")
        results["runs"][name] = run_binary(name, path, args, bomb_body, large_body)
    print(json.dumps(results, indent=2))
    print("\n| binary | idle uploads/s | during bomb | during 200k-record report |",
          file=sys.stderr)
    print("|---|---|---|---|", file=sys.stderr)
    for name, r in results["runs"].items():
        cells = []
        for phase in ("idle", "bomb", "large"):
            m = r[phase]
            cells.append(f"{m['per_second']} (p50 {m['p50_ms']} ms, max {m['max_ms']} ms)")
        print(f"| {name} | " + " | ".join(cells) + " |", file=sys.stderr)


if __name__ == "__main__":
    main()
