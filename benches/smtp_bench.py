#!/usr/bin/env python3
"""Mail intake benchmark: SMTP intake against HTTP upload, side by side in one run.

Python standard library only. Starts `ruad serve` (the binary given with --bin) on a fresh
database with the SMTP listener on, bootstraps a tenant with `ruad admin`, registers the
report domain, then alternates rounds of

  http  N reports POSTed to /api/v1/reports (message/rfc822) by C clients, one keep-alive
        connection each; every answer must be 201 with one stored report;
  smtp  N reports sent to the tenant's report address by C smtplib clients, one session
        each (MAIL, RCPT, DATA per message); every message must be answered 250;

with the same kind of message in both: one small DMARC aggregate report (R records, gzip)
attached to an email, as receivers send them, each with its own report id. Prints a Markdown
table (reports/s per round, and SMTP as a share of HTTP) and the peak RSS of the server.

  python3 benches/smtp_bench.py --bin target/release/ruad [--reports 2000] [--clients 8]
      [--records 20] [--rounds 2] [--database postgres://postgres@127.0.0.1:5432/test]
"""

import argparse
import concurrent.futures as cf
import gzip
import http.client
import json
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage

MAIL_DOMAIN = "reports.bench.test"
DOMAIN = "bench.example"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report_email(report_id, records, to):
    rows = "".join(
        f"<record><row><source_ip>198.51.{i // 250}.{i % 250 + 1}</source_ip><count>{i + 1}</count>"
        "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf>"
        f"</policy_evaluated></row><identifiers><header_from>{DOMAIN}</header_from></identifiers>"
        f"<auth_results><spf><domain>{DOMAIN}</domain><result>pass</result></spf></auth_results></record>"
        for i in range(records)
    )
    xml = (
        '<?xml version="1.0"?><feedback><version>1.0</version><report_metadata>'
        "<org_name>bench.receiver</org_name><email>dmarc@bench.receiver</email>"
        f"<report_id>{report_id}</report_id><date_range><begin>1764547200</begin>"
        "<end>1764633599</end></date_range></report_metadata><policy_published>"
        f"<domain>{DOMAIN}</domain><p>none</p></policy_published>{rows}</feedback>"
    )
    msg = EmailMessage()
    msg["From"] = "dmarc@bench.receiver"
    msg["To"] = to
    msg["Subject"] = f"Report Domain: {DOMAIN} Submitter: bench.receiver Report-ID: {report_id}"
    msg.set_content("DMARC aggregate report\n")
    msg.add_attachment(
        gzip.compress(xml.encode()),
        maintype="application",
        subtype="gzip",
        filename=f"bench.receiver!{DOMAIN}!1764547200!1764633599.xml.gz",
    )
    return msg.as_bytes()


class Server:
    def __init__(self, binary, database):
        self.binary = binary
        self.dir = tempfile.TemporaryDirectory()
        self.http_port, self.smtp_port = free_port(), free_port()
        self.env = dict(
            os.environ,
            RUAD_DATABASE_URL=database or f"sqlite://{self.dir.name}/ruad.db",
            RUAD_LISTEN=f"127.0.0.1:{self.http_port}",
            RUAD_JWT_SECRET="bench-secret-bench-secret-bench-secret-00",
            RUAD_DNS_NAMESERVERS="127.0.0.1:1",
            RUAD_DNS_TIMEOUT_MS="300",
            RUAD_DNS_RECHECK_HOURS="0",
            RUAD_MAIL_DOMAIN=MAIL_DOMAIN,
            RUAD_SMTP_LISTEN=f"127.0.0.1:{self.smtp_port}",
            RUAD_LOG_FORMAT="json",
            RUST_LOG="warn",
        )

    def admin(self, *args):
        out = subprocess.run([self.binary, "admin", *args], env=self.env, check=True, capture_output=True)
        return json.loads(out.stdout)

    def start(self):
        tenant = self.admin("create-tenant", "--name", "bench")
        self.key = self.admin("create-api-key", "--tenant", tenant["id"], "--role", "admin")["key"]
        self.proc = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.request("GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("ruad did not become ready")

    def request(self, method, path, body=None, headers=None, conn=None):
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=120)
        h = {"authorization": f"Bearer {getattr(self, 'key', '')}"}
        h.update(headers or {})
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
            h["content-type"] = "application/json"
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        if own:
            conn.close()
        return r.status, data

    def peak_rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def run_round(clients, messages, send_one):
    """Sends `messages` with `clients` workers; returns seconds."""
    queue = list(enumerate(messages))
    lock = threading.Lock()
    failures = []

    def worker():
        state = {}
        while True:
            with lock:
                if not queue:
                    break
                i, msg = queue.pop()
            try:
                send_one(state, msg)
            except Exception as e:  # noqa: BLE001 - any failure fails the run
                failures.append(f"{i}: {e!r}")
        state.get("close", lambda: None)()

    started = time.perf_counter()
    with cf.ThreadPoolExecutor(clients) as pool:
        for f in [pool.submit(worker) for _ in range(clients)]:
            f.result()
    seconds = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} failures, first: {failures[0]}")
    return seconds


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True)
    p.add_argument("--reports", type=int, default=2000)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--records", type=int, default=20)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--database")
    a = p.parse_args()

    server = Server(os.path.abspath(a.bin), a.database)
    server.start()
    status, _ = server.request("POST", "/api/v1/domains", {"name": DOMAIN})
    assert status == 201, status
    status, body = server.request("GET", "/api/v1/intake")
    to = json.loads(body)["address"]

    def http_send(state, msg):
        if "conn" not in state:
            state["conn"] = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=120)
            state["close"] = state["conn"].close
        status, body = server.request(
            "POST", "/api/v1/reports", msg, {"content-type": "message/rfc822"}, conn=state["conn"]
        )
        reports = json.loads(body).get("reports", [])
        if status != 201 or len(reports) != 1 or reports[0]["duplicate"]:
            raise RuntimeError(f"HTTP {status}: {body[:200]!r}")

    def smtp_send(state, msg):
        if "smtp" not in state:
            state["smtp"] = smtplib.SMTP("127.0.0.1", server.smtp_port, timeout=120)
            state["smtp"].ehlo("bench.client")
            state["close"] = state["smtp"].quit
        refused = state["smtp"].sendmail("dmarc@bench.receiver", [to], msg)
        if refused:
            raise RuntimeError(f"refused: {refused}")

    rows = []
    n = 0
    for r in range(a.rounds):
        for path, send in (("http", http_send), ("smtp", smtp_send)):
            messages = []
            for _ in range(a.reports):
                n += 1
                messages.append(report_email(f"bench-{n}", a.records, to))
            seconds = run_round(a.clients, messages, send)
            rows.append((r + 1, path, a.reports, seconds, a.reports / seconds))
            print(f"round {r + 1} {path}: {a.reports / seconds:.0f} reports/s", file=sys.stderr, flush=True)

    status, body = server.request("GET", f"/api/v1/domains/{DOMAIN}/dmarc/by-result?from=2025-12-01&to=2025-12-01")
    total = json.loads(body)["total_messages"]
    expected = n * a.records * (a.records + 1) // 2
    rss = server.peak_rss_kib()
    server.stop()
    assert total == expected, (total, expected)

    backend = "PostgreSQL" if a.database else "SQLite"
    print(f"\n{a.clients} clients, {a.reports} reports of {a.records} records per round, {backend}, "
          f"{os.cpu_count()} CPUs; all {n} reports stored (by-result total {total} messages = expected)\n")
    print("| round | path | reports | seconds | reports/s |")
    print("|---:|---|---:|---:|---:|")
    for r, path, count, seconds, rate in rows:
        print(f"| {r} | {path} | {count} | {seconds:.2f} | {rate:.0f} |")
    http_rate = sum(x[4] for x in rows if x[1] == "http") / a.rounds
    smtp_rate = sum(x[4] for x in rows if x[1] == "smtp") / a.rounds
    print(f"\nmean: HTTP {http_rate:.0f} reports/s, SMTP {smtp_rate:.0f} reports/s: "
          f"SMTP at {100 * smtp_rate / http_rate:.0f}% of HTTP; server peak RSS {rss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
