#!/usr/bin/env python3
"""Server benchmark driver for `ruad serve` (SQLite and PostgreSQL side by side).

Started by benches/server_bench.sh; Python standard library only. For each backend it:

  1. creates a fresh database, bootstraps a tenant and an admin API key offline
     (`ruad admin ...`) and starts `ruad serve` on a free local port;
  2. uploads, with N concurrent clients (one keep-alive connection each), the small DMARC
     reports, then the large ones, then the extra large ones that bring the aggregate domain
     to its target size, then the TLS reports; every answer must be 201 with one report,
     duplicate=false, conflict=false and no errors;
  3. checks by-result totals against the generator's --summary ground truth;
  4. times sequential requests to the aggregate endpoints (on PostgreSQL a second time after
     an explicit ANALYZE, since ruad never runs one), noting the CPU time of ruad, of
     PostgreSQL and of anything else on the machine during each phase;
  5. records database size, table row counts and the server's peak RSS (VmHWM), then stops
     the server (and drops the PostgreSQL database at the very end).

Reports are generated once with /work/shared/tools/gen_reports.py (imported, not forked per
file) and cached under bench-data/server/reports/, so both backends get identical bytes.

Output: a JSON file with every number and a Markdown file with the tables, both under
bench-data/server/, plus the Markdown on stdout.
"""

import argparse
import concurrent.futures as cf
import contextlib
import datetime as dt
import http.client
import importlib.util
import json
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

DAY = 86_400
BIG_BEGIN = 1_767_225_600  # 2026-01-01: big reports, one per day from here
SMALL_BEGIN = 1_764_547_200  # 2025-12-01: small reports, spread over 20 days
TLS_BEGIN = 1_735_689_600  # 2025-01-01: TLS reports, one per day from here

SMALL_DOMAIN = "small.example"
BIG_DOMAIN = "big.example"
TLS_DOMAIN = "tls.example"


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def day_str(ts):
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d")


# ------------------------------------------------------------------------ generation

_GEN = None


def _gen_module(path):
    global _GEN
    if _GEN is None:
        spec = importlib.util.spec_from_file_location("gen_reports", path)
        _GEN = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_GEN)
    return _GEN


def _generate(job):
    """Runs gen_reports.main in-process (worker of a process pool). Returns the paths."""
    gen_path, argv, out, summary = job
    if not (os.path.exists(out) and os.path.exists(summary)):
        tmp_sum = summary + ".tmp"
        # keep the real extension last: gen_reports picks the container from it
        tmp_out = out.replace(".xml.gz", ".tmp.xml.gz").replace(".json.gz", ".tmp.json.gz")
        _gen_module(gen_path).main(argv + ["--out", tmp_out, "--summary", tmp_sum])
        os.replace(tmp_out, out)
        os.replace(tmp_sum, summary)
    return out, summary


class Report:
    __slots__ = ("path", "data", "summary")

    def __init__(self, path, summary_path):
        self.path = path
        with open(path, "rb") as f:
            self.data = f.read()
        with open(summary_path) as f:
            self.summary = json.load(f)


def generate_all(a, cache):
    os.makedirs(cache, exist_ok=True)
    jobs = {"small": [], "large": [], "fill": [], "tls": []}
    for i in range(a.small_reports):
        name = f"small-r{a.small_records}-{i}"
        jobs["small"].append(["dmarc", "--records", str(a.small_records), "--seed", str(10_000 + i),
                              "--domain", SMALL_DOMAIN, "--begin", str(SMALL_BEGIN + (i % 20) * DAY),
                              "--report-id", name, "--reporter", "google"])
    big_total = a.large_reports + a.fill_reports
    for i in range(big_total):
        name = f"big-r{a.large_records}-{i}"
        jobs["large" if i < a.large_reports else "fill"].append(
            ["dmarc", "--records", str(a.large_records), "--seed", str(20_000 + i),
             "--domain", BIG_DOMAIN, "--begin", str(BIG_BEGIN + i * DAY),
             "--report-id", name, "--reporter", "google"])
    for i in range(a.tls_reports):
        jobs["tls"].append(["tlsrpt", "--policies", str(a.tls_policies), "--seed", str(30_000 + i),
                            "--domain", TLS_DOMAIN, "--begin", str(TLS_BEGIN + i * DAY),
                            "--reporter", "google"])
    work = []
    for kind, argvs in jobs.items():
        for argv in argvs:
            ext = ".json.gz" if argv[0] == "tlsrpt" else ".xml.gz"
            key = "_".join(x.lstrip("-").replace(".", "") for x in argv)
            out = os.path.join(cache, key + ext)
            work.append((kind, (a.gen, argv, out, os.path.join(cache, key + ".summary.json"))))
    missing = sum(1 for _, j in work if not os.path.exists(j[3]))
    t0 = time.perf_counter()
    if missing:
        log(f"generating {missing} report files into {cache} (cached for later runs)")
    # big files first so the pool stays busy
    order = sorted(range(len(work)), key=lambda k: work[k][0] not in ("large", "fill"))
    results = [None] * len(work)
    with cf.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futs = {pool.submit(_generate, work[k][1]): k for k in order}
        for fut in cf.as_completed(futs):
            results[futs[fut]] = fut.result()
    out = {k: [] for k in jobs}
    for (kind, _), (path, summ) in zip(work, results):
        out[kind].append(Report(path, summ))
    return out, time.perf_counter() - t0


# ------------------------------------------------------------------------ HTTP client


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, port, key, timeout=600):
        self.port, self.key, self.timeout = port, key, timeout
        self.conn = None

    def request(self, method, path, body=None, ctype=None):
        headers = {"Authorization": f"Bearer {self.key}"}
        if ctype:
            headers["Content-Type"] = ctype
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            t0 = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # keep-alive connection closed by the server between requests: reconnect once
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - t0
            if resp.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return resp.status, data, elapsed
        raise RuntimeError("unreachable")

    def close(self):
        if self.conn:
            self.conn.close()


def pct(values, p):
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


# ------------------------------------------------------------------------ process stats


def _proc_snapshot():
    """{pid: (comm, cpu seconds)} of every process, from /proc/PID/stat."""
    hz = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        head, _, rest = raw.rpartition(")")
        fields = rest.split()
        try:
            out[int(pid)] = (head.split("(", 1)[1], (int(fields[11]) + int(fields[12])) / hz)
        except (IndexError, ValueError):
            continue
    return out


def _machine_busy():
    """Busy CPU seconds of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU time spent during a phase by the ruad server, by PostgreSQL (every process named
    postgres: backends, WAL writer, checkpointer...), by this client, and by everything else
    on the machine (interference from other work, shown so that noisy numbers can be
    spotted). A process that exits during the phase drops out of the per-process sums and
    lands in `unaccounted`, together with kernel threads' time."""

    def __init__(self):
        self.start = _proc_snapshot()
        self.busy0 = _machine_busy()

    def stop(self, server_pid):
        end = _proc_snapshot()
        busy = _machine_busy() - self.busy0
        me = os.getpid()
        res = {"ruad": 0.0, "postgres": 0.0, "client": 0.0, "other": 0.0}
        others = {}
        for pid, (comm, cpu) in end.items():
            d = cpu - self.start[pid][1] if pid in self.start else cpu
            if d <= 0:
                continue
            if pid == server_pid:
                res["ruad"] += d
            elif comm == "postgres":
                res["postgres"] += d
            elif pid == me:
                res["client"] += d
            else:
                res["other"] += d
                others[comm] = others.get(comm, 0.0) + d
        res["machine_busy"] = busy
        res["unaccounted"] = max(0.0, busy - res["ruad"] - res["postgres"] - res["client"] - res["other"])
        res["other_top"] = {k: round(v, 2) for k, v in sorted(others.items(), key=lambda kv: -kv[1])[:3]}
        return res


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


# ------------------------------------------------------------------------ server


class Server:
    def __init__(self, a, backend, workdir):
        self.a, self.backend, self.workdir = a, backend, workdir
        self.proc = None
        self.logf = None
        self.db_name = None
        self.sqlite_path = None
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        if backend == "sqlite":
            self.sqlite_path = os.path.join(workdir, "ruad-bench.db")
            for suffix in ("", "-wal", "-shm", ".jwt-secret"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.sqlite_path + suffix)
            self.url = f"sqlite://{self.sqlite_path}"
        else:
            self.db_name = f"ruadbench_{os.getpid()}_{int(time.time())}"
            self.psql(f"CREATE DATABASE {self.db_name}", db="postgres")
            self.url = f"{a.pg_url.rstrip('/')}/{self.db_name}"
        # ruad reads every RUAD_* variable and refuses unknown keys (e.g. the RUAD_BIN of
        # server_bench.sh), so pass only ours
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RUAD_")}
        self.env.update({
            "RUAD_DATABASE_URL": self.url,
            "RUAD_LISTEN": f"127.0.0.1:{self.port}",
            "RUAD_JWT_SECRET": "bench-secret-0123456789abcdef0123456789abcdef",
            "RUAD_MAX_UPLOAD_BYTES": str(256 << 20),
            "RUAD_MAX_DECOMPRESSED_BYTES": str(2 << 30),
            "RUAD_MAX_RECORDS": str(2_000_000),
            "RUAD_LOG_FORMAT": "text",
            # The enrichment worker runs beside the uploads (as in production), but its DNS
            # goes to a closed local port: a benchmark never queries the internet.
            "RUAD_DNS_NAMESERVERS": "127.0.0.1:1",
            "RUAD_DNS_TIMEOUT_MS": "300",
            "NO_COLOR": "1",
        })
        self.log_path = os.path.join(workdir, f"server-{backend}.log")

    def psql(self, sql, db=None):
        cmd = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", self.a.pg_host,
               "-p", str(self.a.pg_port), "-U", self.a.pg_user, "-d", db or self.db_name, "-c", sql]
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()

    def admin(self, *args):
        p = subprocess.run([self.a.bin, "admin", *args], env=self.env, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"ruad admin {' '.join(args)} failed ({p.returncode}): {p.stderr.strip()[-800:]}")
        return json.loads(p.stdout.strip().splitlines()[-1])

    def bootstrap(self):
        tenant = self.admin("create-tenant", "--name", "bench")
        key = self.admin("create-api-key", "--tenant", tenant["id"], "--role", "admin")
        return key["key"]

    def start(self):
        self.logf = open(self.log_path, "wb")
        self.proc = subprocess.Popen([self.a.bin, "serve"], env=self.env, stdout=self.logf,
                                     stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    c.close()
                    return
                c.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not become ready in 60 s")

    def restart(self):
        log(f"  server died (exit {self.proc.poll()}); restarting it on the same database")
        self.stop()
        self.restarts = getattr(self, "restarts", 0) + 1
        self.logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.a.bin, "serve"], env=self.env, stdout=self.logf,
                                     stderr=subprocess.STDOUT)
        self.wait_ready()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.logf:
            self.logf.close()
            self.logf = None

    def drop(self):
        if self.sqlite_path:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.sqlite_path + suffix)
        if self.db_name:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.psql(f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)", db="postgres")
            self.db_name = None

    def log_excerpt(self, needle=None, lines=20):
        with contextlib.suppress(OSError):
            with open(self.log_path, errors="replace") as f:
                all_lines = f.read().splitlines()
            if needle:
                hits = [i for i, line in enumerate(all_lines) if needle in line]
                if hits:
                    i = hits[0]
                    return all_lines[max(0, i - 5): i + 5]
            return all_lines[-lines:]
        return []


# ------------------------------------------------------------------------ phases


class Problems:
    def __init__(self):
        self.items = []
        self.lock = threading.Lock()

    def add(self, **kw):
        with self.lock:
            self.items.append(kw)
            if len(self.items) <= 20:
                log(f"PROBLEM: {json.dumps(kw)[:600]}")


def upload_phase(name, srv, key, reports, clients, problems, records_each):
    """Uploads `reports` with `clients` concurrent connections; returns the stats."""
    lat = []
    statuses = {}
    ok = 0
    lock = threading.Lock()
    queue = list(enumerate(reports))
    qlock = threading.Lock()

    def worker():
        nonlocal ok
        c = Client(srv.port, key)
        try:
            while True:
                with qlock:
                    if not queue:
                        return
                    idx, rep = queue.pop(0)
                try:
                    status, body, el = c.request("POST", "/api/v1/reports", body=rep.data,
                                                 ctype="application/octet-stream")
                except Exception as e:  # noqa: BLE001 - record and go on
                    problems.add(phase=name, file=os.path.basename(rep.path), error=repr(e))
                    c.close()
                    c = Client(srv.port, key)
                    continue
                good = False
                if status == 201:
                    try:
                        j = json.loads(body)
                        r = j.get("reports", [])
                        good = (len(r) == 1 and r[0].get("duplicate") is False
                                and r[0].get("conflict") is False and not j.get("errors"))
                    except ValueError:
                        pass
                with lock:
                    lat.append(el)
                    statuses[status] = statuses.get(status, 0) + 1
                    if good:
                        ok += 1
                if not good:
                    problems.add(phase=name, request=f"POST /api/v1/reports ({os.path.basename(rep.path)})",
                                 status=status, body=body[:800].decode(errors="replace"))
        finally:
            c.close()

    meter = CpuMeter()
    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cpu = meter.stop(srv.proc.pid)
    n = len(reports)
    records = sum(r.summary["records"] if "records" in r.summary else r.summary.get("policies", 0)
                  for r in reports)
    res = {
        "phase": name, "reports": n, "records_each": records_each, "records": records,
        "bytes": sum(len(r.data) for r in reports), "clients": clients,
        "wall_s": wall, "reports_per_s": n / wall, "records_per_s": records / wall,
        "p50_ms": pct(lat, 50) * 1000, "p95_ms": pct(lat, 95) * 1000, "max_ms": max(lat) * 1000 if lat else None,
        "ok": ok, "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_cpu_s": cpu["ruad"],
        "postgres_cpu_s": cpu["postgres"] if srv.backend == "postgres" else None,
        "client_cpu_s": cpu["client"],
        "other_cpu_s": cpu["other"] + cpu["unaccounted"],
        "cpu": cpu,
    }
    log(f"  {name}: {n} reports in {wall:.1f}s = {res['reports_per_s']:.1f} reports/s, "
        f"{res['records_per_s']:.0f} records/s, p50 {res['p50_ms']:.0f} ms, p95 {res['p95_ms']:.0f} ms, "
        f"ok {ok}/{n}, statuses {res['statuses']}")
    return res


def get_json(c, path, problems, what):
    status, body, el = c.request("GET", path)
    if status != 200:
        problems.add(phase=what, request=f"GET {path}", status=status, body=body[:800].decode(errors="replace"))
        return None, el
    return json.loads(body), el


def verify(srv, key, reps, problems):
    """by-result totals against the generator's ground truth."""
    c = Client(srv.port, key)
    checks = []

    def check(label, got, want):
        good = got == want
        checks.append({"check": label, "got": got, "want": want, "ok": good})
        if not good:
            problems.add(phase="verify", check=label, got=got, want=want)

    def dmarc_sum(rs):
        s = {"total_messages": 0, "dmarc_pass_messages": 0, "disposition": {}}
        for r in rs:
            s["total_messages"] += r.summary["messages"]
            s["dmarc_pass_messages"] += r.summary["dmarc_pass_messages"]
            for k, v in r.summary["disposition"].items():
                s["disposition"][k] = s["disposition"].get(k, 0) + v
        return s

    small, big, tls = reps["small"], reps["large"] + reps["fill"], reps["tls"]
    for label, dom, rs, begin, days in (("small", SMALL_DOMAIN, small, SMALL_BEGIN, 20),
                                        ("big", BIG_DOMAIN, big, BIG_BEGIN, len(big))):
        if not rs:
            continue
        q = f"from={day_str(begin)}&to={day_str(begin + (days - 1) * DAY)}"
        j, _ = get_json(c, f"/api/v1/domains/{dom}/dmarc/by-result?{q}", problems, "verify")
        want = dmarc_sum(rs)
        if j:
            check(f"{label} total_messages", j["total_messages"], want["total_messages"])
            check(f"{label} dmarc_pass_messages", j["dmarc_pass_messages"], want["dmarc_pass_messages"])
            check(f"{label} disposition", {k: v for k, v in j["disposition"].items() if v},
                  want["disposition"])
    if big:
        mid = len(big) // 2
        d = day_str(BIG_BEGIN + mid * DAY)
        j, _ = get_json(c, f"/api/v1/domains/{BIG_DOMAIN}/dmarc/by-result?from={d}&to={d}", problems, "verify")
        if j:
            check(f"big single day {d} total_messages", j["total_messages"], big[mid].summary["messages"])
    if tls:
        q = f"from={day_str(TLS_BEGIN)}&to={day_str(TLS_BEGIN + (len(tls) - 1) * DAY)}"
        j, _ = get_json(c, f"/api/v1/domains/{TLS_DOMAIN}/tls/by-result?{q}", problems, "verify")
        if j:
            check("tls successful_sessions", j["successful_sessions"],
                  sum(r.summary["successful_sessions"] for r in tls))
            check("tls failed_sessions", j["failed_sessions"], sum(r.summary["failed_sessions"] for r in tls))
            want = {}
            for r in tls:
                for k, v in r.summary["failed_sessions_by_result_type"].items():
                    want[k] = want.get(k, 0) + v
            check("tls failed_sessions_by_result_type", j["failed_sessions_by_result_type"], want)
    c.close()
    for ch in checks:
        log(f"  verify {ch['check']}: {'OK' if ch['ok'] else 'MISMATCH'} (got {ch['got']}, want {ch['want']})")
    return checks


def latency_phase(srv, key, a, reps, problems, after_analyze=False):
    big_days = len(reps["large"]) + len(reps["fill"])
    big_from, big_to = day_str(BIG_BEGIN), day_str(BIG_BEGIN + (big_days - 1) * DAY)
    one = day_str(BIG_BEGIN + (big_days // 2) * DAY)
    tls_from, tls_to = day_str(TLS_BEGIN), day_str(TLS_BEGIN + (max(1, len(reps["tls"])) - 1) * DAY)
    big_records = sum(r.summary["records"] for r in reps["large"] + reps["fill"])
    n = a.agg_requests
    targets = [
        (f"dmarc/by-result, whole range ({big_days} days, {big_records:,} records)",
         f"/api/v1/domains/{BIG_DOMAIN}/dmarc/by-result?from={big_from}&to={big_to}", n),
        ("dmarc/by-result, single day",
         f"/api/v1/domains/{BIG_DOMAIN}/dmarc/by-result?from={one}&to={one}", n),
        (f"dmarc/by-source limit=100, whole range ({big_days} days)",
         f"/api/v1/domains/{BIG_DOMAIN}/dmarc/by-source?from={big_from}&to={big_to}&limit=100", n),
        (f"dmarc/by-service, whole range ({big_days} days)",
         f"/api/v1/domains/{BIG_DOMAIN}/dmarc/by-service?from={big_from}&to={big_to}", n),
        (f"tls/by-result, whole range ({len(reps['tls'])} reports)",
         f"/api/v1/domains/{TLS_DOMAIN}/tls/by-result?from={tls_from}&to={tls_to}", n),
        (f"tls/by-source, whole range ({len(reps['tls'])} reports)",
         f"/api/v1/domains/{TLS_DOMAIN}/tls/by-source?from={tls_from}&to={tls_to}", n),
    ]
    if after_analyze:
        targets = [(label + " (after ANALYZE)", path, count) for label, path, count in targets]
    elif a.by_source_max_limit:
        # one request: the largest page by-source allows
        targets.append((f"dmarc/by-source limit={a.by_source_max_limit}, whole range (1 request)",
                        f"/api/v1/domains/{BIG_DOMAIN}/dmarc/by-source?from={big_from}&to={big_to}"
                        f"&limit={a.by_source_max_limit}", 1))
    out = []
    c = Client(srv.port, key)
    for label, path, count in targets:
        lat = []
        bad = 0
        t0 = time.perf_counter()
        meter = CpuMeter()
        for i in range(count):
            try:
                status, body, el = c.request("GET", path)
            except OSError as e:
                # the server went away under us: keep its log as evidence, restart it on the
                # same database and go on
                problems.add(phase="aggregates", request=f"GET {path}", error=repr(e),
                             server_exit=srv.proc.poll(), log=srv.log_excerpt(lines=12))
                c.close()
                srv.restart()
                c = Client(srv.port, key)
                meter = CpuMeter()
                continue
            lat.append(el)
            if status != 200:
                bad += 1
                problems.add(phase="aggregates", request=f"GET {path}", status=status,
                             body=body[:800].decode(errors="replace"))
            if a.agg_time_cap and time.perf_counter() - t0 > a.agg_time_cap and i + 1 < count:
                log(f"  {label}: stopping after {i + 1} requests (time cap {a.agg_time_cap}s)")
                break
        if not lat:
            continue
        cpu = meter.stop(srv.proc.pid)
        res = {"endpoint": label, "path": path, "requests": len(lat), "non_200": bad,
               "p50_ms": pct(lat, 50) * 1000, "p95_ms": pct(lat, 95) * 1000,
               "max_ms": max(lat) * 1000, "first_ms": lat[0] * 1000,
               "server_cpu_ms_per_request": cpu["ruad"] * 1000 / len(lat),
               "postgres_cpu_ms_per_request": cpu["postgres"] * 1000 / len(lat)
               if srv.backend == "postgres" else None,
               "other_cpu_s": cpu["other"] + cpu["unaccounted"],
               "wall_s": time.perf_counter() - t0,
               "response_bytes": len(body), "cpu": cpu}
        log(f"  {label}: n={len(lat)} p50 {res['p50_ms']:.1f} ms p95 {res['p95_ms']:.1f} ms "
            f"max {res['max_ms']:.1f} ms")
        out.append(res)
    c.close()
    return out


def sizes(srv):
    res = {}
    if srv.backend == "sqlite":
        for suffix in ("", "-wal"):
            p = srv.sqlite_path + suffix
            res["file" + suffix] = os.path.getsize(p) if os.path.exists(p) else 0
        with contextlib.closing(sqlite3.connect(f"file:{srv.sqlite_path}?mode=ro", uri=True)) as db:
            tables = {}
            try:
                for name, size in db.execute(
                        "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 14"):
                    tables[name] = size
            except sqlite3.Error:
                pass
            res["largest_objects"] = tables
            res["rows"] = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                           for t in ("reports", "uploads", "dmarc_records", "dmarc_daily",
                                     "dmarc_source_days", "dmarc_source_months", "dmarc_auth_days",
                                 "dmarc_auth_months", "tls_daily")}
    else:
        res["pg_database_size"] = int(srv.psql(f"SELECT pg_database_size('{srv.db_name}')"))
        rows = srv.psql("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 14")
        res["largest_objects"] = {l.split("|")[0]: int(l.split("|")[1]) for l in rows.splitlines() if l}
        res["rows"] = {t: int(srv.psql(f"SELECT COUNT(*) FROM {t}"))
                       for t in ("reports", "uploads", "dmarc_records", "dmarc_daily",
                                 "dmarc_source_days", "dmarc_source_months", "dmarc_auth_days",
                                 "dmarc_auth_months", "tls_daily")}
    return res


def parse_baseline(a, reps):
    """`ruad parse --summary` on one large report, best of 3: the parser alone, no database."""
    if not reps["large"]:
        return None
    rep = reps["large"][0]
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([a.bin, "parse", "--summary", rep.path], check=True, stdout=subprocess.DEVNULL)
        el = time.perf_counter() - t0
        best = el if best is None else min(best, el)
    res = {"file": os.path.basename(rep.path), "records": rep.summary["records"], "best_s": best,
           "records_per_s": rep.summary["records"] / best}
    log(f"parse baseline: {res['records']} records in {best:.2f}s = {res['records_per_s']:.0f} records/s")
    return res


def run_backend(a, backend, reps, workdir):
    log(f"=== {backend} ===")
    problems = Problems()
    srv = Server(a, backend, workdir)
    result = {"backend": backend, "database_url": srv.url}
    t_start = time.perf_counter()
    try:
        key = srv.bootstrap()
        srv.start()
        result["server_pid"] = srv.proc.pid
        c = Client(srv.port, key)
        for dom in (SMALL_DOMAIN, BIG_DOMAIN, TLS_DOMAIN):
            st, body, _ = c.request("POST", "/api/v1/domains", body=json.dumps({"name": dom}).encode(),
                                    ctype="application/json")
            if st != 201:
                raise RuntimeError(f"POST /api/v1/domains {dom}: {st} {body[:300]!r}")
        c.close()
        up = []
        if reps["small"]:
            up.append(upload_phase("small", srv, key, reps["small"], a.clients, problems, a.small_records))
        if reps["large"]:
            up.append(upload_phase("large", srv, key, reps["large"], a.clients, problems, a.large_records))
        if reps["fill"]:
            up.append(upload_phase("large (fill to 1M)", srv, key, reps["fill"], a.clients, problems,
                                   a.large_records))
        if reps["tls"]:
            up.append(upload_phase("tls", srv, key, reps["tls"], a.clients, problems, a.tls_policies))
        result["uploads"] = up
        result["vm_hwm_after_uploads_kib"] = vm_hwm_kib(srv.proc.pid)
        result["verify"] = verify(srv, key, reps, problems)
        result["aggregates"] = latency_phase(srv, key, a, reps, problems)
        if backend == "postgres" and a.pg_analyze:
            # ruad never runs ANALYZE and this cluster has autovacuum = off, so the series
            # above ran on tables without planner statistics; measure again with them.
            result["pg_autovacuum"] = srv.psql("SHOW autovacuum")
            result["pg_stats_before_analyze"] = srv.psql(
                "SELECT COALESCE(MAX(last_autoanalyze)::text, 'never') FROM pg_stat_user_tables")
            t = time.perf_counter()
            srv.psql("ANALYZE")
            result["pg_analyze_s"] = time.perf_counter() - t
            log(f"  ANALYZE took {result['pg_analyze_s']:.1f}s (autovacuum = {result['pg_autovacuum']})")
            result["aggregates"] += latency_phase(srv, key, a, reps, problems, after_analyze=True)
        if srv.proc.poll() is not None:
            problems.add(phase="server", error=f"server exited with {srv.proc.returncode}")
        else:
            result["vm_hwm_kib"] = vm_hwm_kib(srv.proc.pid)
            result["server_cpu_total_s"] = _proc_snapshot().get(srv.proc.pid, ("", None))[1]
        result["sizes_running"] = sizes(srv)
        result["server_restarts"] = getattr(srv, "restarts", 0)
    except Exception as e:  # noqa: BLE001 - keep the other backend going
        problems.add(phase="fatal", error=repr(e), log=srv.log_excerpt())
        result["fatal"] = repr(e)
    finally:
        srv.stop()
        if backend == "sqlite" and os.path.exists(srv.sqlite_path):
            result["sizes_after_stop"] = {
                "file": os.path.getsize(srv.sqlite_path),
                "file-wal": os.path.getsize(srv.sqlite_path + "-wal")
                if os.path.exists(srv.sqlite_path + "-wal") else 0}
        if not a.keep_db:
            srv.drop()
        else:
            result["kept_database"] = srv.db_name or srv.sqlite_path
    # server-side evidence for every non-201/200 answer
    for p in problems.items:
        if "status" in p and p["status"] >= 500:
            p["log"] = srv.log_excerpt(needle=f"\" {p['status']} ")
    result["problems"] = problems.items
    result["wall_s"] = time.perf_counter() - t_start
    log(f"=== {backend} done in {result['wall_s']:.0f}s, {len(problems.items)} problem(s) ===")
    return result


# ------------------------------------------------------------------------ report


def machine():
    cpu = "?"
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    mem = "?"
    with contextlib.suppress(OSError):
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    pg = "?"
    with contextlib.suppress(Exception):
        pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "kernel": platform.release(),
            "python": platform.python_version(), "postgres_client": pg,
            "sqlite_python": sqlite3.sqlite_version}


def other_cell(other_s, cpu):
    """'other CPU' table cell, naming the busiest foreign processes when it is noticeable."""
    cell = f"{other_s:.1f} s"
    if other_s >= 2 and cpu:
        top = [f"{k} {v:.0f} s" for k, v in cpu.get("other_top", {}).items() if v >= 1]
        if cpu.get("unaccounted", 0) >= 1:
            top.append(f"kernel/exited {cpu['unaccounted']:.0f} s")
        if top:
            cell += " (" + ", ".join(top) + ")"
    return cell


def mib(n):
    return f"{n / 1048576:.1f} MiB"


def markdown(res):
    backends = res["backends"]
    lines = []
    m = res["machine"]
    lines.append(f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, Linux {m['kernel']}; "
                 f"{m['postgres_client']}; ruad {res.get('git', '?')}.")
    lines.append("")
    pb = res.get("parse_baseline")
    if pb:
        lines.append(f"Parser alone (`ruad parse --summary`, one {pb['records']:,}-record .xml.gz, best of 3, "
                     f"no database): {pb['best_s']:.2f} s = {pb['records_per_s']:,.0f} records/s.")
        lines.append("")
    lines.append(f"Script wall time: {res['wall_s']:.0f} s (report generation {res['generation_s']:.0f} s"
                 f"{' (cached)' if res['generation_s'] < 5 else ''}).")
    lines.append("")
    for b in backends:
        name = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[b["backend"]]
        lines.append(f"### {name}")
        lines.append("")
        if b.get("fatal"):
            lines.append(f"**Run aborted:** `{b['fatal']}`")
            lines.append("")
        if b.get("uploads"):
            lines.append(f"Uploads ({res['params']['clients']} concurrent clients):")
            lines.append("")
            lines.append("| phase | reports × records | wall | reports/s | records/s | p50 | p95 | max | "
                         "201 + duplicate=false | ruad CPU | postgres CPU | other CPU |")
            lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for u in b["uploads"]:
                unit = "policies" if u["phase"] == "tls" else "records"
                lines.append(
                    f"| {u['phase']} | {u['reports']} × {u['records_each']:,} {unit} | {u['wall_s']:.1f} s | "
                    f"{u['reports_per_s']:.{2 if u['reports_per_s'] < 10 else 1}f} | {u['records_per_s']:,.0f} | {u['p50_ms']:,.0f} ms | "
                    f"{u['p95_ms']:,.0f} ms | {u['max_ms']:,.0f} ms | {u['ok']}/{u['reports']} | "
                    f"{u['server_cpu_s']:.1f} s | "
                    + (f"{u['postgres_cpu_s']:.1f} s |" if u["postgres_cpu_s"] is not None else "– |")
                    + f" {other_cell(u['other_cpu_s'], u.get('cpu'))} |")
            lines.append("")
        if b.get("aggregates"):
            lines.append("Aggregate endpoints (sequential requests, one keep-alive connection, no warm-up):")
            lines.append("")
            lines.append("| endpoint | n | p50 | p95 | max | ruad CPU / request | postgres CPU / request | "
                         "other CPU (whole series) |")
            lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
            for g in b["aggregates"]:
                lines.append(f"| {g['endpoint']} | {g['requests']} | {g['p50_ms']:,.1f} ms | "
                             f"{g['p95_ms']:,.1f} ms | {g['max_ms']:,.1f} ms | "
                             f"{g['server_cpu_ms_per_request']:,.1f} ms | "
                             + (f"{g['postgres_cpu_ms_per_request']:,.1f} ms |"
                                if g.get("postgres_cpu_ms_per_request") is not None else "– |")
                             + f" {other_cell(g['other_cpu_s'], g.get('cpu'))} |")
            lines.append("")
        s = b.get("sizes_running", {})
        extra = []
        if b["backend"] == "sqlite" and s:
            after = b.get("sizes_after_stop", {})
            extra.append(f"database file {mib(s['file'])} + WAL {mib(s['file-wal'])} while running"
                         + (f", {mib(after['file'])} + WAL {mib(after['file-wal'])} after shutdown" if after else ""))
        elif s:
            extra.append(f"pg_database_size {mib(s['pg_database_size'])}")
            if b.get("pg_analyze_s") is not None:
                extra.append(f"autovacuum = {b['pg_autovacuum']}, last autoanalyze before the explicit "
                             f"ANALYZE: {b['pg_stats_before_analyze']}; ANALYZE took {b['pg_analyze_s']:.1f} s")
        if s.get("largest_objects"):
            extra.append("largest: " + ", ".join(f"{k} {mib(v)}" for k, v in list(s["largest_objects"].items())[:4]))
        if s.get("rows"):
            extra.append("rows: " + ", ".join(f"{k} {v:,}" for k, v in s["rows"].items()))
        if b.get("vm_hwm_kib"):
            extra.append(f"server peak RSS (VmHWM) {b['vm_hwm_kib'] / 1024:.0f} MiB at the end"
                         + (f" ({b['vm_hwm_after_uploads_kib'] / 1024:.0f} MiB after the uploads)"
                            if b.get("vm_hwm_after_uploads_kib") else "")
                            + (f"; server restarted {b['server_restarts']} time(s) after dying"
                               if b.get("server_restarts") else ""))
        if b.get("verify"):
            bad = [c for c in b["verify"] if not c["ok"]]
            extra.append("totals check: " + ("all by-result totals match the generator summaries"
                                             if not bad else f"{len(bad)} MISMATCH(ES)"))
        extra.append(f"problems recorded: {len(b['problems'])}")
        for e in extra:
            lines.append(f"- {e}")
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/ruad")
    ap.add_argument("--gen", default="/work/shared/tools/gen_reports.py")
    ap.add_argument("--out-dir", default="bench-data/server")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--small-reports", type=int, default=400)
    ap.add_argument("--small-records", type=int, default=20)
    ap.add_argument("--large-reports", type=int, default=16)
    ap.add_argument("--large-records", type=int, default=50_000)
    ap.add_argument("--fill-reports", type=int, default=4,
                    help="extra large reports uploaded after the timed ones (default: 16+4 = 20 x 50,000 = 1M)")
    ap.add_argument("--tls-reports", type=int, default=300)
    ap.add_argument("--tls-policies", type=int, default=10)
    ap.add_argument("--agg-requests", type=int, default=50)
    ap.add_argument("--by-source-max-limit", type=int, default=10_000,
                    help="also time one by-source request with this limit (0 = skip)")
    ap.add_argument("--agg-time-cap", type=float, default=90.0,
                    help="stop an aggregate endpoint's series after this many seconds (0 = never)")
    ap.add_argument("--no-pg-analyze", dest="pg_analyze", action="store_false",
                    help="skip the PostgreSQL re-measurement after ANALYZE")
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--pg-host", default="127.0.0.1")
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--pg-user", default="postgres")
    ap.add_argument("--label", help="what the binary was built from (default: git describe of the working tree)")
    ap.add_argument("--keep-db", action="store_true", help="do not drop the databases at the end")
    a = ap.parse_args()
    a.bin = os.path.abspath(a.bin)
    t0 = time.perf_counter()
    out_dir = os.path.abspath(a.out_dir)
    workdir = os.path.join(out_dir, "run")
    os.makedirs(workdir, exist_ok=True)
    reps, gen_s = generate_all(a, os.path.join(out_dir, "reports"))
    log(f"reports ready ({gen_s:.0f}s): {len(reps['small'])} small, {len(reps['large'])}+{len(reps['fill'])} "
        f"large, {len(reps['tls'])} TLS")
    git = a.label or subprocess.run(["git", "describe", "--always", "--dirty"],
                                    capture_output=True, text=True).stdout.strip()
    res = {"started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "machine": machine(), "git": git, "params": vars(a), "generation_s": gen_s, "backends": []}
    res["parse_baseline"] = parse_baseline(a, reps)
    for backend in a.backends.split(","):
        res["backends"].append(run_backend(a, backend.strip(), reps, workdir))
    res["wall_s"] = time.perf_counter() - t0
    stamp = time.strftime("%Y%m%dT%H%M%S")
    with open(os.path.join(out_dir, f"results-{stamp}.json"), "w") as f:
        json.dump(res, f, indent=1, default=str)
    md = markdown(res)
    with open(os.path.join(out_dir, f"results-{stamp}.md"), "w") as f:
        f.write(md + "\n")
    print(md)
    log(f"total {res['wall_s']:.0f}s; results in {out_dir}/results-{stamp}.{{json,md}}")
    return 1 if any(b["problems"] for b in res["backends"]) else 0


if __name__ == "__main__":
    sys.exit(main())
