#!/usr/bin/env python3
"""Ingest throughput of `ruad serve` beside the parser alone, on the same files, in one run.

For each backend (SQLite, PostgreSQL) this:

  1. times the parser alone (`ruad parse --summary`, no database) on the small reports, in as
     many processes as the machine has cores, each taking every n-th file: the ceiling the
     server's ingest is compared with;
  2. starts `ruad serve` on a fresh database and uploads the small reports with N concurrent
     clients, each a separate process with one keep-alive connection (so the client is not
     bound by Python's GIL); every answer must be 201 with one report stored,
     duplicate=false; the by-result total must then equal the generator's summaries;
  3. uploads the large reports the same way (records/s);
  4. reads the group commit's counters from /metrics (reports per transaction).

The parser is timed again after each backend, and the table shows the ratio of each upload
phase to the parser run closest to it, since this machine is shared and noisy.

Reports come from /work/shared/tools/gen_reports.py, cached under bench-data/ingest/reports/.
Output: JSON and Markdown under bench-data/ingest/, Markdown on stdout.

    python3 benches/ingest_bench.py --bin target/release/ruad
"""

import argparse
import datetime as dt
import http.client
import importlib.util
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("server_bench", os.path.join(HERE, "server_bench.py"))
sb = importlib.util.module_from_spec(_spec)
sys.modules["server_bench"] = sb  # so worker processes can pickle its functions
_spec.loader.exec_module(sb)

DAY = 86_400
SMALL_BEGIN = 1_764_547_200  # 2025-12-01
LARGE_BEGIN = 1_767_225_600  # 2026-01-01
SMALL_DOMAIN = "small.example"
LARGE_DOMAIN = "big.example"
log = sb.log


def generate(a, cache):
    """The small and large report files (generated once, cached)."""
    os.makedirs(cache, exist_ok=True)
    work = []
    for i in range(a.small_reports):
        argv = ["dmarc", "--records", str(a.small_records), "--seed", str(10_000 + i),
                "--domain", SMALL_DOMAIN, "--begin", str(SMALL_BEGIN + (i % 30) * DAY),
                "--report-id", f"small-{a.small_records}-{i}", "--reporter", "google"]
        work.append(("small", argv))
    for i in range(a.large_reports):
        argv = ["dmarc", "--records", str(a.large_records), "--seed", str(20_000 + i),
                "--domain", LARGE_DOMAIN, "--begin", str(LARGE_BEGIN + i * DAY),
                "--report-id", f"large-{a.large_records}-{i}", "--reporter", "google"]
        work.append(("large", argv))
    jobs = []
    for _, argv in work:
        key = "_".join(x.lstrip("-").replace(".", "") for x in argv)
        out = os.path.join(cache, key + ".xml.gz")
        jobs.append((a.gen, argv, out, os.path.join(cache, key + ".summary.json")))
    missing = sum(1 for j in jobs if not os.path.exists(j[3]))
    if missing:
        log(f"generating {missing} report files into {cache}")
    with mp.Pool(os.cpu_count() or 2) as pool:
        paths = pool.map(sb._generate, jobs, chunksize=16)
    out = {"small": [], "large": []}
    for (kind, _), (path, summary) in zip(work, paths):
        out[kind].append(sb.Report(path, summary))
    return out


def parse_alone(a, reps):
    """The parser alone on `reps`, one process per core, each on every n-th file."""
    procs = os.cpu_count() or 2
    t0 = time.perf_counter()
    running = [subprocess.Popen([a.bin, "parse", "--summary", *[r.path for r in reps[i::procs]]],
                                stdout=subprocess.DEVNULL) for i in range(procs)]
    for p in running:
        if p.wait() != 0:
            raise RuntimeError("ruad parse failed")
    wall = time.perf_counter() - t0
    return {"reports": len(reps), "processes": procs, "wall_s": wall,
            "reports_per_s": len(reps) / wall,
            "records_per_s": sum(r.summary["records"] for r in reps) / wall}


def _client(args):
    """One client process: uploads its share over one keep-alive connection."""
    port, key, paths, start_at = args
    bodies = []
    for p in paths:
        with open(p, "rb") as f:
            bodies.append(f.read())
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/octet-stream"}
    lat, bad = [], []
    while time.time() < start_at:
        time.sleep(0.0005)
    cpu0 = time.process_time()
    for path, body in zip(paths, bodies):
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/reports", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (http.client.HTTPException, OSError) as e:
            bad.append({"file": os.path.basename(path), "error": repr(e)})
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            continue
        lat.append(time.perf_counter() - t0)
        ok = False
        if resp.status == 201:
            try:
                j = json.loads(data)
                r = j.get("reports", [])
                ok = len(r) == 1 and r[0].get("duplicate") is False and not j.get("errors")
            except ValueError:
                pass
        if not ok:
            bad.append({"file": os.path.basename(path), "status": resp.status,
                        "body": data[:400].decode(errors="replace")})
    conn.close()
    return lat, bad, time.process_time() - cpu0, time.time()


def upload(srv, key, reps, clients):
    """Uploads `reps` with `clients` processes; returns the phase's figures."""
    shares = [[r.path for r in reps[i::clients]] for i in range(clients)]
    start_at = time.time() + 1.0 + 0.02 * sum(len(s) for s in shares) / 100
    meter = sb.CpuMeter()
    with mp.Pool(clients) as pool:
        results = pool.map(_client, [(srv.port, key, s, start_at) for s in shares])
    cpu = meter.stop(srv.proc.pid)
    wall = max(r[3] for r in results) - start_at
    lat = [x for r in results for x in r[0]]
    bad = [x for r in results for x in r[1]]
    records = sum(r.summary["records"] for r in reps)
    return {"reports": len(reps), "clients": clients, "wall_s": wall,
            "reports_per_s": len(reps) / wall, "records_per_s": records / wall,
            "p50_ms": sb.pct(lat, 50) * 1000, "p95_ms": sb.pct(lat, 95) * 1000,
            "max_ms": max(lat) * 1000 if lat else None, "ok": len(reps) - len(bad),
            "problems": bad[:10], "ruad_cpu_s": cpu["ruad"], "postgres_cpu_s": cpu["postgres"],
            "client_cpu_s": sum(r[2] for r in results),
            "other_cpu_s": max(0.0, cpu["other"] - sum(r[2] for r in results))}


def metric(srv, name):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    c.close()
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def total_messages(srv, key, domain, reps):
    begin = min(r.summary.get("begin", SMALL_BEGIN) for r in reps)
    c = sb.Client(srv.port, key)
    frm = dt.datetime.fromtimestamp(begin - 40 * DAY, dt.timezone.utc).strftime("%Y-%m-%d")
    to = dt.datetime.fromtimestamp(begin + 60 * DAY, dt.timezone.utc).strftime("%Y-%m-%d")
    status, body, _ = c.request("GET", f"/api/v1/domains/{domain}/dmarc/by-result?from={frm}&to={to}")
    c.close()
    if status != 200:
        return None
    return json.loads(body)["total_messages"]


def run_backend(a, backend, reps, workdir):
    log(f"== {backend}")
    srv = sb.Server(a, backend, workdir)
    key = srv.bootstrap()
    srv.start()
    res = {"backend": backend}
    try:
        c = sb.Client(srv.port, key)
        for dom in (SMALL_DOMAIN, LARGE_DOMAIN):
            st, body, _ = c.request("POST", "/api/v1/domains", body=json.dumps({"name": dom}).encode(),
                                    ctype="application/json")
            if st != 201:
                raise RuntimeError(f"POST /api/v1/domains {dom}: {st} {body[:300]!r}")
        c.close()
        for phase in ("small", "large"):
            if not reps[phase]:
                continue
            log(f"  {phase}: {len(reps[phase])} reports, {a.clients} clients")
            res[phase] = upload(srv, key, reps[phase], a.clients)
            log(f"  {phase}: {res[phase]['reports_per_s']:.0f} reports/s, "
                f"{res[phase]['records_per_s']:.0f} records/s, ok {res[phase]['ok']}/{res[phase]['reports']}")
        res["commit_batches"] = metric(srv, "ruad_group_commit_batches_total")
        res["commit_units"] = metric(srv, "ruad_group_commit_units_total")
        want = sum(r.summary["messages"] for r in reps["small"])
        got = total_messages(srv, key, SMALL_DOMAIN, reps["small"])
        res["small_messages"] = {"want": want, "got": got}
        if got != want:
            res.setdefault("small", {}).setdefault("problems", []).append(
                {"check": "by-result total_messages", "want": want, "got": got})
    finally:
        srv.stop()
        srv.drop()
    return res


def markdown(res):
    out = []
    out.append(f"ingest_bench: {res['git']}, {res['started']}, {res['params']['clients']} clients")
    out.append("")
    out.append("| run | reports | reports/s | records/s | p50 | p95 | ruad CPU | postgres CPU | "
               "client CPU | other CPU | vs parser alone |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    def parse_row(label, p):
        out.append(f"| {label} | {p['reports']} | {p['reports_per_s']:,.0f} | {p['records_per_s']:,.0f} "
                   f"| – | – | – | – | – | – | 100% |")

    parse_row("parser alone (before)", res["parse"][0])
    for i, b in enumerate(res["backends"]):
        p = res["parse"][i]
        for phase in ("small", "large"):
            r = b.get(phase)
            if not r or "reports_per_s" not in r:
                continue
            base = p["reports_per_s"] if phase == "small" else None
            ratio = f"{100 * r['reports_per_s'] / base:.0f}%" if base else "–"
            out.append(f"| {b['backend']} {phase} upload | {r['reports']} | {r['reports_per_s']:,.0f} | "
                       f"{r['records_per_s']:,.0f} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms | "
                       f"{r['ruad_cpu_s']:.1f} s | {r['postgres_cpu_s']:.1f} s | {r['client_cpu_s']:.1f} s | "
                       f"{r['other_cpu_s']:.1f} s | {ratio} |")
        parse_row(f"parser alone (after {b['backend']})", res["parse"][i + 1])
    out.append("")
    for b in res["backends"]:
        batches, units = b.get("commit_batches"), b.get("commit_units")
        per = f"{units / batches:.1f}" if batches else "–"
        out.append(f"- {b['backend']}: {int(units or 0)} reports in {int(batches or 0)} group commits "
                   f"({per} per transaction); small by-result total {b['small_messages']['got']} "
                   f"(want {b['small_messages']['want']})")
        for phase in ("small", "large"):
            for p in (b.get(phase) or {}).get("problems", []):
                out.append(f"  - PROBLEM {phase}: {json.dumps(p)[:300]}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/ruad")
    ap.add_argument("--gen", default="/work/shared/tools/gen_reports.py")
    ap.add_argument("--out-dir", default="bench-data/ingest")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--small-reports", type=int, default=4000)
    ap.add_argument("--small-records", type=int, default=20)
    ap.add_argument("--large-reports", type=int, default=8)
    ap.add_argument("--large-records", type=int, default=50_000)
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--pg-host", default="127.0.0.1")
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--pg-user", default="postgres")
    a = ap.parse_args()
    a.bin = os.path.abspath(a.bin)
    out_dir = os.path.abspath(a.out_dir)
    workdir = os.path.join(out_dir, "run")
    os.makedirs(workdir, exist_ok=True)
    reps = generate(a, os.path.join(out_dir, "reports"))
    git = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip()
    res = {"started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "machine": sb.machine(), "git": git, "params": vars(a), "parse": [], "backends": []}
    res["parse"].append(parse_alone(a, reps["small"]))
    log(f"parser alone: {res['parse'][-1]['reports_per_s']:.0f} small reports/s")
    for backend in a.backends.split(","):
        res["backends"].append(run_backend(a, backend.strip(), reps, workdir))
        res["parse"].append(parse_alone(a, reps["small"]))
        log(f"parser alone: {res['parse'][-1]['reports_per_s']:.0f} small reports/s")
    stamp = time.strftime("%Y%m%dT%H%M%S")
    with open(os.path.join(out_dir, f"results-{stamp}.json"), "w") as f:
        json.dump(res, f, indent=1, default=str)
    md = markdown(res)
    with open(os.path.join(out_dir, f"results-{stamp}.md"), "w") as f:
        f.write(md + "\n")
    print(md)
    bad = any((b.get(p) or {}).get("problems") for b in res["backends"] for p in ("small", "large"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
