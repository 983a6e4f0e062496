#!/usr/bin/env bash
# Side-by-side benchmark: `ruad parse --summary` against parsedmarc (the most used
# open-source DMARC/TLS report parser) on the same synthetic reports.
#
# What it does:
#   1. generates into bench-data/ (gitignored) DMARC aggregate reports of 10k, 100k and
#      1M records, each as plain .xml and .xml.gz (fixed seed, so byte-identical every
#      time; existing files are reused), plus one SMTP TLS report (.json.gz);
#   2. builds `cargo build --release`;
#   3. for each file: ruad best of 3 runs under `/usr/bin/time -v` (wall time, CPU time,
#      peak RSS), then parsedmarc once on the same file, back to back, so both see the
#      same machine load;
#   4. checks ruad's totals (records, messages, ...) against the generator's --summary;
#   5. prints a Markdown table (also written to bench-data/results.md).
#
# Usage: benches/compare_parsedmarc.sh
# Environment knobs (all optional):
#   SIZES="10000 100000 1000000"  DMARC record counts
#   RUNS=3                        ruad runs per file (best wall time is kept)
#   SEED=7                        generator seed
#   TLS_POLICIES=1000             policies in the TLS report
#   PARSEDMARC_TIMEOUT=900        seconds before a parsedmarc run is abandoned
#   PARSEDMARC_MAX_PLAIN=100000   largest record count for which parsedmarc also runs on
#                                 the plain .xml (above it only .xml.gz, to bound time)
#   SKIP_PARSEDMARC=1             measure ruad only
#   PARSEDMARC_RAISE_CAP=1        parsedmarc refuses compressed reports that decompress to
#                                 more than 100 MiB (MAX_DECOMPRESSED_REPORT_SIZE); for such
#                                 files raise it to 2 GB, as ruad's limits are raised (0: keep)
#   ONLY_GENERATE=1               generate bench-data/ and stop
#   TOOLS=../shared/tools         where gen_reports.py and parsedmarc_summary.py live
#   PARSEDMARC_VENV=../venv-parsedmarc   venv with parsedmarc 11.1.0 (created if missing)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SIZES=${SIZES:-"10000 100000 1000000"}
RUNS=${RUNS:-3}
SEED=${SEED:-7}
TLS_POLICIES=${TLS_POLICIES:-1000}
PARSEDMARC_TIMEOUT=${PARSEDMARC_TIMEOUT:-900}
PARSEDMARC_MAX_PLAIN=${PARSEDMARC_MAX_PLAIN:-100000}
SKIP_PARSEDMARC=${SKIP_PARSEDMARC:-0}
PARSEDMARC_RAISE_CAP=${PARSEDMARC_RAISE_CAP:-1}
PARSEDMARC_CAP=$((100 << 20))
TOOLS=${TOOLS:-$ROOT/../shared/tools}
PARSEDMARC_VENV=${PARSEDMARC_VENV:-$ROOT/../venv-parsedmarc}
DATA=$ROOT/bench-data
RUAD=$ROOT/target/release/ruad
# ruad's defaults (src/reports/mod.rs Limits::default); files beyond them get RAISED.
DEFAULT_MAX_INPUT=$((64 << 20))
DEFAULT_MAX_DECOMPRESSED=$((512 << 20))
DEFAULT_MAX_RECORDS=2000000
RAISED=(--max-input-bytes 2000000000 --max-decompressed-bytes 2000000000 --max-records 5000000)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- prerequisites --------------------------------------------------------------------
[[ -f $TOOLS/gen_reports.py ]] || die "gen_reports.py not found in $TOOLS (set TOOLS=...)"
command -v python3 >/dev/null || die "python3 is required"

if [[ ! -x /usr/bin/time ]]; then
    log "/usr/bin/time missing: installing the Debian package 'time'"
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
[[ -x /usr/bin/time ]] || die "/usr/bin/time still missing"

PD_PY=$PARSEDMARC_VENV/bin/python
NONET=()
if [[ $SKIP_PARSEDMARC != 1 ]]; then
    [[ -f $TOOLS/parsedmarc_summary.py ]] || die "parsedmarc_summary.py not found in $TOOLS"
    if ! "$PD_PY" -c 'import parsedmarc' 2>/dev/null; then
        log "creating $PARSEDMARC_VENV with parsedmarc==11.1.0"
        python3 -m venv "$PARSEDMARC_VENV"
        "$PARSEDMARC_VENV/bin/pip" install -q parsedmarc==11.1.0
    fi
    # No network for parsedmarc: it runs offline anyway, this makes sure of it.
    if command -v unshare >/dev/null && unshare -rn true 2>/dev/null; then
        NONET=(unshare -rn)
    else
        log "warning: 'unshare -rn' unavailable; parsedmarc runs with the network (offline config)"
    fi
fi

mkdir -p "$DATA"

# --- generation -----------------------------------------------------------------------
# gen KIND COUNT EXT -> path; reuses an existing file (the generator is deterministic).
gen() {
    local kind=$1 n=$2 ext=$3 out sum
    if [[ $kind == dmarc ]]; then
        out=$DATA/dmarc-$n-s$SEED.$ext
    else
        out=$DATA/tlsrpt-$n-s$SEED.$ext
    fi
    sum=$out.summary.json
    if [[ ! -s $out || ! -s $sum ]]; then
        log "generating $(basename "$out")"
        if [[ $kind == dmarc ]]; then
            python3 "$TOOLS/gen_reports.py" dmarc --records "$n" --seed "$SEED" \
                --out "$out.tmp.$ext" --summary "$sum"
        else
            python3 "$TOOLS/gen_reports.py" tlsrpt --policies "$n" --failures 20 --seed "$SEED" \
                --out "$out.tmp.$ext" --summary "$sum"
        fi
        mv "$out.tmp.$ext" "$out"
    fi
    if [[ ! -s $out.rawbytes ]]; then
        case $out in
            *.gz) gzip -dc "$out" | wc -c | tr -d ' ' >"$out.rawbytes" ;;
            *) stat -c %s "$out" >"$out.rawbytes" ;;
        esac
    fi
    printf '%s\n' "$out"
}

FILES=()
for n in $SIZES; do
    FILES+=("$(gen dmarc "$n" xml)" "$(gen dmarc "$n" xml.gz)")
done
FILES+=("$(gen tlsrpt "$TLS_POLICIES" json.gz)")
if [[ ${ONLY_GENERATE:-0} == 1 ]]; then
    log "data ready in $DATA"
    exit 0
fi

# --- build ----------------------------------------------------------------------------
log "cargo build --release"
cargo build --release --quiet
[[ -x $RUAD ]] || die "$RUAD not built"

# --- measuring helpers ----------------------------------------------------------------
# timev OUTFILE CMD... : runs CMD under /usr/bin/time -v, stats to OUTFILE.stats
timev() {
    local out=$1
    shift
    /usr/bin/time -v -o "$out.stats" "$@" >"$out" 2>"$out.err"
}

# stat_of FILE.stats -> "wall_s cpu_s maxrss_kib"
stat_of() {
    python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def get(label):
    m = re.search(re.escape(label) + r":\s*(\S+)", t)
    return m.group(1) if m else None
wall = 0.0
for part in get("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
    wall = wall * 60 + float(part)
cpu = float(get("User time (seconds)")) + float(get("System time (seconds)"))
print(f"{wall:.2f} {cpu:.2f} {get('Maximum resident set size (kbytes)')}")
PY
}

# check_totals KIND RUAD_JSONL GENERATOR_SUMMARY -> prints "ok" or a mismatch description
check_totals() {
    python3 - "$@" <<'PY'
import json, sys
kind, got_path, want_path = sys.argv[1:4]
lines = [json.loads(l) for l in open(got_path) if l.strip()]
want = json.load(open(want_path))
if len(lines) != 1 or "error" in lines[0]:
    print(f"MISMATCH: expected one report, got {lines!r:.300}")
    sys.exit()
got = lines[0]
keys = (["records", "messages", "disposition", "dkim_aligned", "spf_aligned", "dmarc_pass_messages"]
        if kind == "dmarc" else
        ["policies", "successful_sessions", "failed_sessions", "failed_sessions_by_result_type"])
bad = [f"{k}: ruad={got.get(k)!r} generator={want.get(k)!r}" for k in keys if got.get(k) != want.get(k)]
print("MISMATCH: " + "; ".join(bad) if bad else "ok")
PY
}

# The parsedmarc run: parsedmarc_summary.py's own main() (--stdout --timings), with
# parsedmarc.parse_report_file wrapped to also report the time of that call alone.
# _seconds of --timings also covers the summary and the script's raw-<record> regex
# cross-check; the interpreter's start and imports are only in the /usr/bin/time wall.
PD_WRAPPER=$DATA/.parsedmarc_timed.py
cat >"$PD_WRAPPER" <<'PY'
import os, sys, time
sys.path.insert(0, sys.argv[1])
import parsedmarc_summary as ps
if os.environ.get("PD_CAP"):
    ps.parsedmarc.MAX_DECOMPRESSED_REPORT_SIZE = int(os.environ["PD_CAP"])
_orig = ps.parsedmarc.parse_report_file
def _timed(*a, **k):
    t0 = time.perf_counter()
    try:
        return _orig(*a, **k)
    finally:
        print(f"PARSE_REPORT_FILE_SECONDS {time.perf_counter() - t0:.3f}", file=sys.stderr)
ps.parsedmarc.parse_report_file = _timed
ps.main(["--stdout", "--timings"] + sys.argv[2:])
PY

# pd_fields JSON -> "records messages seconds status error"
pd_fields() {
    python3 - "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
e = next(iter(doc["files"].values()))
recs = e.get("records", e.get("policies", "-"))
msgs = e.get("messages", e.get("successful_sessions", 0) + e.get("failed_sessions", 0)
             if "policies" in e else "-")
print(recs, msgs, e.get("_seconds", "-"), e.get("status", "-"), e.get("error", ""))
PY
}

thousands() { python3 -c "import sys; print(format(int(sys.argv[1]), ','))" "$1"; }
div() { python3 -c "import sys; a,b=map(float,sys.argv[1:3]); print(format(a/b, sys.argv[3]) if b > 0 else '-')" "$1" "$2" "$3"; }
# x RATIO -> "12.3x", or "-" when there is no ratio
x() { if [[ $1 == - ]]; then echo -; else echo "${1}x"; fi; }

human() {
    python3 -c "
import sys
n = int(sys.argv[1])
for unit, f in (('GB', 1e9), ('MB', 1e6), ('kB', 1e3)):
    if n >= f:
        print(f'{n / f:.1f} {unit}'); break
else:
    print(f'{n} B')" "$1"
}

# --- machine --------------------------------------------------------------------------
MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
PD_VERSION="-"
if [[ $SKIP_PARSEDMARC != 1 ]]; then
    PD_VERSION=$("$PD_PY" -c 'from importlib.metadata import version; print(version("parsedmarc"))')
fi
HEADER="Machine: $(nproc) cores, $MODEL, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); \
$(rustc --version); parsedmarc $PD_VERSION; ruad $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?'); \
$(date -u +%Y-%m-%dT%H:%MZ)"
log "$HEADER"

ROWS=()
NOTES=()
FAILED=0
for f in "${FILES[@]}"; do
    name=$(basename "$f")
    sum=$f.summary.json
    kind=dmarc
    [[ $name == tlsrpt-* ]] && kind=tls
    size=$(stat -c %s "$f")
    raw=$(cat "$f.rawbytes")
    records=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d.get('records', d.get('policies')))" "$sum")

    flags=()
    mark=""
    if ((size > DEFAULT_MAX_INPUT || raw > DEFAULT_MAX_DECOMPRESSED || records > DEFAULT_MAX_RECORDS)); then
        flags=("${RAISED[@]}")
        mark=" †"
    fi

    # ruad: best of RUNS
    best_wall="" best_cpu="" max_rss=0
    for ((i = 1; i <= RUNS; i++)); do
        log "ruad $name run $i/$RUNS (load $(cut -d' ' -f1 /proc/loadavg))"
        if ! timev "$DATA/.ruad.out" "$RUAD" parse --summary "${flags[@]}" "$f"; then
            log "ruad failed on $name: $(head -c 500 "$DATA/.ruad.out" "$DATA/.ruad.out.err")"
            FAILED=1
        fi
        read -r wall cpu rss < <(stat_of "$DATA/.ruad.out.stats")
        if [[ -z $best_wall ]] || python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$wall" "$best_wall"; then
            best_wall=$wall
            best_cpu=$cpu
        fi
        if ((rss > max_rss)); then max_rss=$rss; fi
    done
    check=$(check_totals "$kind" "$DATA/.ruad.out" "$sum")
    if [[ $check != ok ]]; then
        log "$name: $check"
        NOTES+=("$name: ruad totals differ from the generator: $check")
        FAILED=1
    fi
    ruad_rss_mib=$(div "$max_rss" 1024 .1f)
    ruad_rps=$(div "$records" "$best_wall" ,.0f)
    ruad_mbps=$(div "$raw" "$(python3 -c "import sys; print(float(sys.argv[1]) * 1e6)" "$best_wall")" .1f)

    # parsedmarc: one run
    pd_wall="-" pd_parse="-" pd_rps="-" pd_rss="-" pd_cpu="-" ratio="-" ratio_whole="-" mem_ratio="-" cpu_ratio="-"
    run_pd=1 pd_cap="" pd_mark=""
    if [[ $PARSEDMARC_RAISE_CAP == 1 && $name != *.xml ]] && ((raw > PARSEDMARC_CAP)); then
        pd_cap=2000000000
        pd_mark=" ‡"
    fi
    if [[ $SKIP_PARSEDMARC == 1 ]]; then
        run_pd=0
        pd_wall="not run"
    elif [[ $name == *.xml ]] && ((records > PARSEDMARC_MAX_PLAIN)); then
        run_pd=0
        pd_wall="not measured"
        NOTES+=("$name: parsedmarc not run on the plain .xml above $PARSEDMARC_MAX_PLAIN records (only the .xml.gz, to bound the run time)")
    fi
    if ((run_pd)); then
        log "parsedmarc $name (timeout ${PARSEDMARC_TIMEOUT}s, load $(cut -d' ' -f1 /proc/loadavg))"
        set +e
        # timeout inside /usr/bin/time: a killed run still ends /usr/bin/time, with rc 124
        PD_CAP=$pd_cap /usr/bin/time -v -o "$DATA/.pd.out.stats" timeout "$PARSEDMARC_TIMEOUT" \
            "${NONET[@]}" "$PD_PY" "$PD_WRAPPER" "$TOOLS" "$f" >"$DATA/.pd.out" 2>"$DATA/.pd.out.err"
        rc=$?
        set -e
        if ((rc == 124)); then
            pd_wall="not measured$pd_mark"
            read -r _ _ killed_rss < <(stat_of "$DATA/.pd.out.stats")
            NOTES+=("$name: parsedmarc did not finish within ${PARSEDMARC_TIMEOUT}s (killed; peak RSS until then $(div "$killed_rss" 1024 .0f) MiB)")
            log "parsedmarc timed out on $name"
        elif ((rc != 0)); then
            pd_wall="failed"
            NOTES+=("$name: parsedmarc exited $rc: $(tail -c 300 "$DATA/.pd.out.err" | tr '\n' ' ')")
            log "parsedmarc failed on $name (exit $rc)"
        elif read -r pd_recs pd_msgs pd_secs pd_status pd_error < <(pd_fields "$DATA/.pd.out") &&
            [[ $pd_status != ok ]]; then
            pd_wall="rejected$pd_mark"
            NOTES+=("$name: parsedmarc rejected the file ($pd_status): $pd_error")
            log "parsedmarc rejected $name: $pd_error"
        else
            read -r pd_wall pd_cpu pd_rss_kib < <(stat_of "$DATA/.pd.out.stats")
            pd_wall="$pd_wall$pd_mark"
            pd_parse=$(awk '/^PARSE_REPORT_FILE_SECONDS/ {print $2}' "$DATA/.pd.out.err" | tail -1)
            pd_rss=$(div "$pd_rss_kib" 1024 .1f)
            pd_rps=$(div "$records" "$pd_parse" ,.0f)
            ratio=$(div "$pd_parse" "$best_wall" .1f)
            ratio_whole=$(div "${pd_wall%% *}" "$best_wall" .1f)
            cpu_ratio=$(div "$pd_cpu" "$best_cpu" .1f)
            mem_ratio=$(div "$pd_rss_kib" "$max_rss" .1f)
            log "parsedmarc $name: status=$pd_status records=$pd_recs messages=$pd_msgs wall=${pd_wall}s parse_report_file=${pd_parse}s _seconds=$pd_secs"
            if [[ $kind == dmarc ]]; then
                want=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['records'], d['messages'])" "$sum")
                [[ "$pd_recs $pd_msgs" == "$want" ]] ||
                    NOTES+=("$name: parsedmarc totals (records messages) $pd_recs $pd_msgs differ from the generator's $want")
            fi
            NOTES+=("$name: parsedmarc parse_report_file ${pd_parse}s, --timings _seconds ${pd_secs}s, whole process ${pd_wall}s, CPU ${pd_cpu}s")
        fi
    fi
    log "ruad $name: best wall ${best_wall}s cpu ${best_cpu}s rss ${ruad_rss_mib} MiB; ratio ${ratio}x"
    ROWS+=("| $name$mark | $(human "$size") | $(human "$raw") | $(thousands "$records") | $best_wall | $ruad_rps | $ruad_mbps | $ruad_rss_mib | $pd_wall | $pd_parse | $pd_rps | $pd_rss | $(x "$ratio") | $(x "$ratio_whole") | $(x "$cpu_ratio") | $(x "$mem_ratio") |")
done

{
    echo "$HEADER"
    echo
    echo "| file | size | uncompressed | records | ruad wall s | ruad records/s | ruad MB/s | ruad peak RSS MiB | parsedmarc wall s (whole run) | parsedmarc parse s | parsedmarc records/s | parsedmarc peak RSS MiB | speed ratio (parse) | speed ratio (whole) | CPU ratio | memory ratio |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "ruad: best wall time of $RUNS runs of \`target/release/ruad parse --summary FILE\` (whole process: start, read, decompress, parse, summarize); peak RSS = largest of the $RUNS runs. MB/s = uncompressed report bytes per second."
    echo "parsedmarc: one run of parsedmarc_summary.py --stdout --timings${NONET:+ under \`unshare -rn\`}; 'parse s' = parsedmarc.parse_report_file alone (records/s and 'speed ratio (parse)' use it), 'whole run' = the whole Python process (interpreter start, imports, parse, summary, cross-check)."
    echo "CPU ratio = parsedmarc user+sys CPU s of the whole run / ruad user+sys CPU s of the best run. Memory ratio = parsedmarc peak RSS / ruad peak RSS."
    echo "For TLS rows, records = policies."
    echo "† ruad run with raised limits: ${RAISED[*]}"
    echo "‡ parsedmarc run with MAX_DECOMPRESSED_REPORT_SIZE raised from 100 MiB to 2 GB (it rejects the file otherwise)"
    if ((${#NOTES[@]})); then
        echo
        printf -- '- %s\n' "${NOTES[@]}"
    fi
} | tee "$DATA/results.md"

if ((FAILED)); then
    log "some checks failed (see above)"
    exit 1
fi
