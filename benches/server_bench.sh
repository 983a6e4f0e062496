#!/usr/bin/env bash
# Server benchmark: upload throughput and aggregate latency of `ruad serve` on SQLite and
# PostgreSQL, side by side, in one run. Results: docs/benchmarks-server.md.
#
#   bash benches/server_bench.sh [extra options for benches/server_bench.py]
#
# Builds the release binary (skip with RUAD_BIN=/path/to/ruad) and runs a private copy of
# it, makes sure the local PostgreSQL cluster is up, then runs benches/server_bench.py, which
# generates the reports (cached in bench-data/server/reports/), starts one server per backend
# on a fresh database, measures, stops the server and drops the PostgreSQL database it made.
# Defaults: 8 clients; 400 x 20-record and 16 x 50,000-record DMARC uploads, 4 more large
# reports to reach 1,000,000 records on one domain, 300 TLS reports; 50 sequential requests
# per aggregate endpoint, cut short after 90 s (dmarc/by-source takes seconds per request on
# 1M records), plus one by-source request with limit=10000. About 10 minutes on 2 CPUs.
# See `python3 benches/server_bench.py --help` for the knobs.
#
# Environment: RUAD_BIN, GEN_REPORTS (default /work/shared/tools/gen_reports.py),
# PGHOST/PGPORT/PGUSER (default 127.0.0.1/5432/postgres, trust auth).
# Needs: cargo, python3 (standard library only), psql. Exit status 1 when any upload or
# check failed (details in the JSON results and on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
GEN_REPORTS=${GEN_REPORTS:-/work/shared/tools/gen_reports.py}

if [[ -z "${RUAD_BIN:-}" ]]; then
    echo "building target/release/ruad (cargo build --release)…" >&2
    cargo build --release --quiet --bin ruad
    RUAD_BIN=target/release/ruad
fi
# Run a private copy, so that a rebuild of target/ during the run cannot swap the binary
# under the benchmark.
mkdir -p bench-data/server/bin
cp "$RUAD_BIN" bench-data/server/bin/ruad-bench.tmp
mv bench-data/server/bin/ruad-bench.tmp bench-data/server/bin/ruad-bench
RUAD_BIN=bench-data/server/bin/ruad-bench

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    echo "PostgreSQL is not answering on $PGHOST:$PGPORT; starting the local cluster…" >&2
    if command -v pg_ctlcluster >/dev/null; then
        ver=$(ls /etc/postgresql | sort -V | tail -1)
        pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    fi
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
    pg_isready -h "$PGHOST" -p "$PGPORT"
fi

mkdir -p bench-data/server
exec python3 benches/server_bench.py \
    --bin "$RUAD_BIN" --gen "$GEN_REPORTS" --out-dir bench-data/server \
    --pg-url "postgres://$PGUSER@$PGHOST:$PGPORT" --pg-host "$PGHOST" --pg-port "$PGPORT" --pg-user "$PGUSER" \
    "$@"
