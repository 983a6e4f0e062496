#!/usr/bin/env bash
# Property-based test of the API against its own spec: schemathesis (pinned, installed from
# PyPI into target/schemathesis-venv) drives a real ruad on a fresh SQLite database for a
# bounded time and fails on any finding of the four checks below. No request leaves the
# machine: background jobs (webhook deliveries, DNS re-checks) are off and DNS goes to a
# closed local port.
#
# Usage: .ci/schemathesis.sh [SECONDS]   (default 120; RUAD_BIN names the binary to test,
# default target/debug/ruad, built with `cargo build` when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-120}"
version=4.32.5
venv="$(pwd)/target/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/pip" show schemathesis 2>/dev/null | grep -qx "Version: $version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$version"
fi

bin="${RUAD_BIN:-target/debug/ruad}"
[ -x "$bin" ] || cargo build --quiet --bin ruad
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export RUAD_DATABASE_URL="sqlite://$work/ruad.db"
export RUAD_LISTEN="127.0.0.1:$port"
export RUAD_JWT_SECRET="schemathesis-secret-schemathesis-secret-0123"
export RUAD_JOBS_ENABLED=false
# Mailboxes can be created (and are never polled: jobs are off).
export RUAD_SECRET_KEY="$(head -c 32 /dev/urandom | base64)"
export RUAD_DNS_NAMESERVERS=127.0.0.1:1
export RUAD_DNS_TIMEOUT_MS=200
export RUAD_DNS_RECHECK_HOURS=0
# Report addresses exist (the intake routes answer); no mail listener is bound.
export RUAD_MAIL_DOMAIN=reports.schemathesis.test
export RUAD_LOG_FORMAT=json
export RUST_LOG=warn

tenant=$("$bin" admin create-tenant --name schemathesis 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
key=$("$bin" admin create-api-key --tenant "$tenant" --role admin 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
"$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
# Wait for the server, then give it something to find: a registered domain.
python3 - "$port" "$key" <<'PY'
import json, sys, time, urllib.request
port, key = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
for _ in range(200):
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
request = urllib.request.Request(
    f"{base}/api/v1/domains",
    data=json.dumps({"name": "example.com"}).encode(),
    headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
)
urllib.request.urlopen(request, timeout=10)
PY

status=0
# One worker: hypothesis' lambda-source parsing is not thread-safe on CPython 3.11 ("AST
# constructor recursion depth mismatch" with several workers). Run in the scratch directory,
# so schemathesis' own state stays out of the tree.
cd "$work"
"$venv/bin/schemathesis" --no-color run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $key" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-time "$seconds" \
  --workers 1 \
  --request-timeout 20 \
  --suppress-health-check all \
  --generation-database none || status=$?
if [ "$status" -ne 0 ]; then
  echo "schemathesis: findings (server log below)" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
