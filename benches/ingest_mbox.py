#!/usr/bin/env python3
"""`ruad ingest` of large mbox files: messages/s and peak RSS, at several sizes, so that
memory can be seen to stay flat as the mbox grows. Results: docs/benchmarks-server.md.

    python3 benches/ingest_mbox.py --bin target/release/ruad --messages 10000 100000

For each size: writes (or reuses) bench-data/ingest/mbox-N.mbox, N report emails of one
small DMARC aggregate report each (gzip, base64, as receivers send them; 20 domains,
distinct report ids), makes a fresh SQLite database with a tenant that registered the 20
domains (`ruad admin` and one short `ruad serve` for the domain API), then runs
`/usr/bin/time -v ruad ingest --tenant T --jobs J mbox` and reads its JSON summary and
peak RSS. `--remote` also sends the same mbox to a running server (`--url`, jobs off) for
the HTTP path side by side. Standard library only.
"""
import argparse
import base64
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

DOMAINS = [f"d{i:02d}.example" for i in range(20)]


def report_xml(i: int) -> bytes:
    domain = DOMAINS[i % len(DOMAINS)]
    begin = 1_700_000_000 + (i // len(DOMAINS)) * 86_400 % (365 * 86_400)
    rows = []
    for r in range(3):
        ip = f"198.51.{(i * 7 + r) % 250}.{(i * 13 + r) % 250 + 1}"
        rows.append(
            f"<record><row><source_ip>{ip}</source_ip><count>{(i + r) % 40 + 1}</count>"
            "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf>"
            f"</policy_evaluated></row><identifiers><header_from>{domain}</header_from></identifiers>"
            f"<auth_results><dkim><domain>{domain}</domain><selector>s1</selector><result>pass</result></dkim>"
            f"<spf><domain>{domain}</domain><result>fail</result></spf></auth_results></record>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feedback><report_metadata>'
        "<org_name>bench.example</org_name><email>noreply@bench.example</email>"
        f"<report_id>bench-{i}</report_id><date_range><begin>{begin}</begin>"
        f"<end>{begin + 86399}</end></date_range></report_metadata><policy_published>"
        f"<domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p></policy_published>"
        + "".join(rows)
        + "</feedback>"
    ).encode()


def email(i: int) -> bytes:
    domain = DOMAINS[i % len(DOMAINS)]
    attachment = base64.encodebytes(gzip.compress(report_xml(i), mtime=0)).decode()
    return (
        f"From: noreply@bench.example\nTo: dmarc@ruad.example\n"
        f"Subject: Report Domain: {domain} Submitter: bench.example Report-ID: bench-{i}\n"
        f"Message-ID: <bench-{i}@bench.example>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        "DMARC aggregate report.\n\n--b\nContent-Type: application/gzip\n"
        f'Content-Disposition: attachment; filename="bench-{i}.xml.gz"\n'
        f"Content-Transfer-Encoding: base64\n\n{attachment}\n--b--\n"
    ).encode()


def make_mbox(path: str, n: int) -> None:
    if os.path.exists(path):
        return
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        for i in range(n):
            out.write(b"From noreply@bench.example Mon Jan  1 00:00:00 2024\n")
            out.write(email(i))
            out.write(b"\n")
    os.replace(tmp, path)


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
            import threading

            threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
            return server, "http://" + m.group(1)
    raise RuntimeError("server did not start")


def setup(binary: str, workdir: str):
    db_url = f"sqlite://{workdir}/ruad.db"
    env = env_for(db_url)
    tenant = json.loads(
        subprocess.check_output([binary, "admin", "create-tenant", "--name", "Bench"], env=env)
    )["id"]
    key = json.loads(
        subprocess.check_output(
            [binary, "admin", "create-api-key", "--tenant", tenant, "--role", "admin"], env=env
        )
    )["key"]
    server, base = start_server(binary, env)
    try:
        for d in DOMAINS:
            req = urllib.request.Request(
                base + "/api/v1/domains",
                data=json.dumps({"name": d}).encode(),
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )
            urllib.request.urlopen(req).read()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    return env, tenant, key


def timed(cmd, env) -> dict:
    started = time.monotonic()
    proc = subprocess.run(
        ["/usr/bin/time", "-v"] + cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    wall = time.monotonic() - started
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    summary = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {}
    return {
        "exit": proc.returncode,
        "wall_s": round(wall, 1),
        "peak_rss_mib": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "summary": summary,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/ruad")
    ap.add_argument("--messages", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--remote", action="store_true", help="also through a running server (--url)")
    ap.add_argument("--data", default="bench-data/ingest")
    args = ap.parse_args()
    os.makedirs(args.data, exist_ok=True)
    binary = os.path.abspath(args.bin)
    results = []
    for n in args.messages:
        mbox = os.path.join(args.data, f"mbox-{n}.mbox")
        make_mbox(mbox, n)
        size = os.path.getsize(mbox)
        row = {"messages": n, "mbox_mib": round(size / (1 << 20), 1)}
        work = tempfile.mkdtemp(prefix="ruad-ingest-bench-", dir=args.data)
        try:
            env, tenant, key = setup(binary, work)
            r = timed([binary, "ingest", "--tenant", tenant, "--jobs", str(args.jobs), mbox], env)
            r["messages_per_s"] = round(n / r["wall_s"], 1) if r["wall_s"] else None
            row["direct"] = r
            if args.remote:
                work2 = tempfile.mkdtemp(prefix="ruad-ingest-bench-", dir=args.data)
                env2, tenant2, key2 = setup(binary, work2)
                server, base = start_server(binary, env2)
                try:
                    r = timed(
                        [binary, "ingest", "--url", base, "--key", key2, "--jobs", str(args.jobs), mbox],
                        env2,
                    )
                finally:
                    server.send_signal(signal.SIGTERM)
                    server.wait()
                    shutil.rmtree(work2, ignore_errors=True)
                r["messages_per_s"] = round(n / r["wall_s"], 1) if r["wall_s"] else None
                row["remote"] = r
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(json.dumps(row), flush=True)
        results.append(row)
    bad = [r for r in results for k in ("direct", "remote") if k in r and r[k]["exit"] != 0]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
