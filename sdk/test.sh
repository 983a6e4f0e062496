#!/usr/bin/env bash
# Runs the three SDK end-to-end suites against a real ruad (each starts its own server on a
# free port with SQLite in a temporary directory). Builds the ruad binary unless RUAD_BIN
# names one; installs the test environments into gitignored caches:
#   sdk/.tools/py-test         pytest + the Python SDK (sdk/python/requirements-test.txt)
#   sdk/typescript/node_modules   `npm ci` from the committed package-lock.json
# Usage: sdk/test.sh [python|typescript|rust]...   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tools=sdk/.tools
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(python typescript rust)

log() { echo "sdk/test.sh: $*" >&2; }

export RUAD_CORPUS_DIR="${RUAD_CORPUS_DIR:-$root/../shared/corpus}"
if [ -z "${RUAD_BIN:-}" ]; then
  log "building ruad"
  cargo build --quiet --bin ruad
  RUAD_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/ruad"
fi
export RUAD_BIN
# The suites' timings, printed at the end.
timings=()
timed() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  timings+=("$name: $((SECONDS - start)) s")
}

python_suite() {
  if ! cmp -s sdk/python/requirements-test.txt "$tools/py-test/.requirements" 2>/dev/null; then
    log "installing the Python test environment into $tools/py-test"
    rm -rf "$tools/py-test"
    python3 -m venv "$tools/py-test"
    "$tools/py-test/bin/pip" install --quiet --disable-pip-version-check -r sdk/python/requirements-test.txt
    cp sdk/python/requirements-test.txt "$tools/py-test/.requirements"
  fi
  # The SDK as a user installs it (README), afresh each run.
  "$tools/py-test/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall ./sdk/python
  # From the root, so the tests import the installed package, not sdk/python/ruad_client.
  "$tools/py-test/bin/pytest" -p no:cacheprovider sdk/python/tests
}

typescript_suite() {
  if ! cmp -s sdk/typescript/package-lock.json sdk/typescript/node_modules/.ruad-lock 2>/dev/null; then
    log "installing the TypeScript dependencies (npm ci)"
    (cd sdk/typescript && npm ci --no-audit --no-fund --loglevel=error)
    cp sdk/typescript/package-lock.json sdk/typescript/node_modules/.ruad-lock
  fi
  (cd sdk/typescript && npm test --silent)
}

rust_suite() {
  cargo test -p ruad-client
}

for suite in "${suites[@]}"; do
  case "$suite" in
    python | typescript | rust) log "$suite"; timed "$suite" "${suite}_suite" ;;
    *) log "unknown suite $suite (python, typescript, rust)"; exit 2 ;;
  esac
done
printf 'sdk/test.sh: %s\n' "${timings[@]}" >&2
