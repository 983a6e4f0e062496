#!/bin/sh
# Seeds fuzz/corpus/<target>/ with small files from the shared report corpus.
# fuzz/corpus is gitignored; this script is what is committed.
#
# Usage (from the repository root or from fuzz/):
#   fuzz/seed.sh
# The corpus location defaults to ../shared/corpus relative to the repository root and can
# be overridden with RUAD_CORPUS_DIR.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
src=${RUAD_CORPUS_DIR:-../shared/corpus}
if [ ! -d "$src" ]; then
    echo "seed.sh: report corpus not found at $src (set RUAD_CORPUS_DIR)" >&2
    exit 1
fi

max=20480   # bytes; larger files only slow the fuzzer down
out=fuzz/corpus
mkdir -p "$out/envelope" "$out/dmarc_xml" "$out/tls_json"

# copy_small DEST FILE...: copies each regular file not larger than $max bytes into DEST as
# seed-<original name> (characters other than [A-Za-z0-9._-] replaced by '_'), so seeds
# stay apart from the hash-named files libFuzzer adds. Re-running overwrites them.
copy_small() {
    dest=$1
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        size=$(wc -c <"$f")
        [ "$size" -le "$max" ] || continue
        cp "$f" "$dest/seed-$(basename "$f" | tr -c 'A-Za-z0-9._\n-' '_')"
    done
}

# dmarc_xml: plain aggregate XML documents.
copy_small "$out/dmarc_xml" "$src"/aggregate/*.xml "$src"/aggregate/*.xml.sample

# tls_json: plain RFC 8460 JSON documents.
copy_small "$out/tls_json" "$src"/smtp_tls/*.json

# envelope: a mix of every container kind the sniffer handles.
copy_small "$out/envelope" \
    "$src"/aggregate/chrj__minimal.xml \
    "$src"/aggregate/parsedmarc__invalid_utf_8.xml \
    "$src"/aggregate/parsedmarc__old_draft_from_wiki.xml \
    "$src"/aggregate/dmarq__rfc9990-multi-auth-overrides.xml \
    "$src"/aggregate/*.gz \
    "$src"/aggregate/*.zip \
    "$src"/aggregate/*.zlib \
    "$src"/smtp_tls/mail-auth__rpt01.json \
    "$src"/smtp_tls/*.json.gz \
    "$src"/email/*.eml \
    "$src"/email/*.txt \
    "$src"/forensic/mail-auth__001.eml

for t in envelope dmarc_xml tls_json; do
    echo "$out/$t: $(ls "$out/$t" | wc -l) files"
done
