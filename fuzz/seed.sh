#!/bin/sh
# Seeds fuzz/corpus/<target>/ with small files from the shared report corpus, and
# fuzz/corpus/dns_records/ with DNS records written out below.
# fuzz/corpus is gitignored; this script is what is committed.
#
# Usage (from the repository root or from fuzz/):
#   fuzz/seed.sh
# The corpus location defaults to ../shared/corpus relative to the repository root and can
# be overridden with RUAD_CORPUS_DIR.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=fuzz/corpus

# dns_records: small DNS TXT records and MTA-STS policy bodies written here, one per file.
# They need no report corpus, so they are written first.
mkdir -p "$out/dns_records"
n=0
dns_seed() {   # writes $1 with backslash escapes (\n, \r) expanded; '%' stays literal
    n=$((n + 1))
    printf '%b' "$1" >"$out/dns_records/seed-$(printf '%02d' "$n")"
}
dns_seed 'v=spf1 ip4:192.0.2.0/24 include:_spf.example.com ~all'
dns_seed 'v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all'
dns_seed 'v=spf1 a mx/24 a:mail.example.com/28//64 ip6:2001:db8::/32 ?all'
dns_seed 'v=spf1 redirect=_spf.example.com'
dns_seed 'v=spf1 include:%{d2}.example.net ptr:example.org exp=explain.%{d} -all'
dns_seed 'v=spf1 -ip4:198.51.100.1 +a:%{o} ~mx:%{h}.%{v}.%{s} %{c}%{p}%{t}%{_}%%%-all'
dns_seed 'v=spf1 -all\nv=spf1 +all\ngoogle-site-verification=abc'
dns_seed 'v=spf1 ip4:1.2.3.4 foo=bar unknown-modifier=%{x} all'
dns_seed 'v=DMARC1; p=reject; rua=mailto:d@example.com!10m; pct=50; fo=1:d'
dns_seed 'v=DMARC1; p=none; sp=quarantine; adkim=s; aspf=r; ruf=mailto:f@example.com,mailto:g@example.net!2k; ri=3600; rf=afrf'
dns_seed 'v=DMARC1; p=quarantine; np=reject; psd=y; t=y; pct=0'
dns_seed 'v=DMARC1;p=reject;rua=mailto:a@example.com!1g,https://example.org/r'
dns_seed 'v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALbgOje0Ydv5Vdh0LGBeh3OoQl74f17ovcE6/h2/B8sdL7NBQF+z4vRE16LByKhhTEXnyxPArqoGJ85E3zEJQo8CAwEAAQ=='
dns_seed 'v=DKIM1; k=ed25519; p=JSkOg0Xa7PRR2ssM5OcZat/b4DWW3syPksXf5NUJGOE='
dns_seed 'v=DKIM1; h=sha256:sha1; s=email:*; t=y:s; n=note; p='
dns_seed 'k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1 TYWx4 =; g=*'
dns_seed 'v=BIMI1; l=https://example.com/l.svg; a='
dns_seed 'v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem; s=sel'
dns_seed 'v=BIMI1; l=; a=;'
dns_seed 'v=STSv1; id=20261127'
dns_seed 'v=STSv1;id=a1B2c3;ext=1'
dns_seed 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n'
dns_seed 'version: STSv1\nmode: testing\nmx: mx1.example.org\nmax_age: 86400\n'
dns_seed 'version: STSv1\r\nmode: none\r\nmax_age: 0\r\n'
dns_seed '*.example.com\nmx1.example.com'
dns_seed 'mail.example.com\nMAIL.Example.COM.'
dns_seed 'v=TLSRPTv1; rua=mailto:t@example.com'
dns_seed 'v=TLSRPTv1;rua=https://reports.example.com/tlsrpt,mailto:tls@example.org'
dns_seed 'v=TLSRPTv1; rua=mailto:t@example.com!10m; x=1'
dns_seed 'v=spf1 include:example.com; v=DMARC1; p=none'
echo "$out/dns_records: $(ls "$out/dns_records" | wc -l) files"

src=${RUAD_CORPUS_DIR:-../shared/corpus}
if [ ! -d "$src" ]; then
    echo "seed.sh: report corpus not found at $src (set RUAD_CORPUS_DIR)" >&2
    exit 1
fi

max=20480   # bytes; larger files only slow the fuzzer down
mkdir -p "$out/envelope" "$out/dmarc_xml" "$out/tls_json" "$out/mbox" "$out/failure_arf"

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
    "$src"/forensic/*.eml

# mbox: the first byte is the bound (times 16), the rest an mbox; the repository's own
# two-message fixture, behind a bound byte of 0x40 (1 KiB).
for f in "$root"/tests/fixtures/reports/*.mbox; do
    { printf '@'; cat "$f"; } >"$out/mbox/seed-$(basename "$f")"
done

# failure_arf: DMARC failure (ARF) reports.
copy_small "$out/failure_arf" "$src"/forensic/*.eml

for t in envelope dmarc_xml tls_json mbox failure_arf; do
    echo "$out/$t: $(ls "$out/$t" | wc -l) files"
done
