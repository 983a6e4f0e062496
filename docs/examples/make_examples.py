#!/usr/bin/env python3
"""Renders the sample documents under docs/examples/ from the shared report corpus.

    python3 docs/examples/make_examples.py --bin target/release/ruad

Starts `ruad serve` on a fresh SQLite database in a temporary directory, creates an MSSP
tenant ("Northwind Security") under the operator, gives it a brand (logo, colours, footer,
support contact), registers every domain the corpus reports are about and uploads every report
of /work/shared/corpus (../shared/corpus beside the repository) that parsedmarc 11.1 parsed,
through the MSSP's own API key. Then it fetches, in English and in Dutch:

  * domain-report.<lang>.pdf  the domain report of example.com for 2024 (the year the corpus
                              holds most of its real reports for that domain);
  * tls-report.<lang>.pdf     the single TLS report of RFC 8460's example (company-y.example,
                              mail-auth's rpt01.eml), which has failures of several kinds;
  * portfolio.<lang>.pdf      the MSSP's portfolio for 2024;

and with pdftoppm a PNG of each first page (<name>.<lang>.png). Standard library, curl-free;
needs pdftoppm (poppler-utils).
"""

import argparse
import base64
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="240" height="64" viewBox="0 0 240 64">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#0b6e4f"/><stop offset="1" stop-color="#2a9d8f"/></linearGradient></defs>
  <path d="M8 56 L32 8 L56 56 Z" fill="url(#g)"/>
  <path d="M22 44 L32 24 L42 44 Z" fill="#f2a541"/>
  <text x="68" y="41" font-family="sans-serif" font-size="22" font-weight="700" fill="#0b3d2e">Northwind</text>
</svg>"""

BRAND = {
    "display_name": "Northwind Security",
    "logo": {"format": "svg", "data": base64.b64encode(LOGO.encode()).decode()},
    "primary_color": "#0b6e4f",
    "accent_color": "#f2a541",
    "footer_text": "Northwind Security B.V. · Managed email security · Amsterdam",
    "support_contact": "support@northwind.example",
    "language": "en",
}


class Api:
    def __init__(self, port, key):
        self.port, self.key = port, key

    def call(self, method, path, body=None, ctype=None, ok=(200, 201, 204)):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Authorization": f"Bearer {self.key}"}
        if isinstance(body, (dict, list)):
            body, ctype = json.dumps(body).encode(), "application/json"
        if ctype:
            headers["Content-Type"] = ctype
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        if ok and resp.status not in ok:
            raise RuntimeError(f"{method} {path}: {resp.status} {data[:400]!r}")
        return resp.status, data

    def json(self, method, path, body=None):
        _, data = self.call(method, path, body)
        return json.loads(data) if data else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=os.path.join(ROOT, "target/release/ruad"))
    p.add_argument("--corpus", default=os.path.join(ROOT, "../shared/corpus"))
    p.add_argument("--out", default=HERE)
    p.add_argument("--dpi", type=int, default=60, help="resolution of the first-page PNGs")
    a = p.parse_args()
    if not shutil.which("pdftoppm"):
        sys.exit("pdftoppm not found: apt-get install poppler-utils")
    expected = json.load(open(os.path.join(a.corpus, "EXPECTED.json")))["files"]
    tmp = tempfile.mkdtemp(prefix="ruad-examples-")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUAD_")}
    env.update({
        "RUAD_DATABASE_URL": f"sqlite://{tmp}/examples.db",
        "RUAD_LISTEN": f"127.0.0.1:{port}",
        "RUAD_JWT_SECRET": "examples-secret-0123456789abcdef0123456789abcdef",
        "RUAD_DNS_NAMESERVERS": "127.0.0.1:1",
        "RUAD_DNS_TIMEOUT_MS": "200",
        "RUAD_LOG_FORMAT": "text",
    })

    def admin(*args):
        out = subprocess.run([a.bin, "admin", *args], env=env, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    operator = admin("create-tenant", "--name", "Operator")
    root_key = admin("create-api-key", "--tenant", operator["id"], "--role", "admin")["key"]
    log = open(os.path.join(tmp, "server.log"), "wb")
    server = subprocess.Popen([a.bin, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        root = Api(port, root_key)
        mssp = root.json("POST", "/api/v1/tenants", {"name": "Northwind Security"})
        key = root.json("POST", f"/api/v1/tenants/{mssp['id']}/api-keys", {"role": "admin"})["key"]
        api = Api(port, key)
        api.call("PUT", f"/api/v1/tenants/{mssp['id']}/branding", BRAND)

        files, domains = [], set()
        for path, v in sorted(expected.items()):
            if v.get("status") != "ok" or v.get("report_type") not in ("aggregate", "smtp_tls"):
                continue
            files.append(path)
            if v["report_type"] == "aggregate":
                domains.add(v["policy_domain"].lower())
            else:
                domains.update(d.lower() for d in v["policy_domains"])
        for d in sorted(domains):
            api.call("POST", "/api/v1/domains", {"name": d}, ok=(201, 409, 422))
        stored = 0
        for path in files:
            with open(os.path.join(a.corpus, path), "rb") as f:
                status, _ = api.call("POST", "/api/v1/reports", f.read(), "application/octet-stream", ok=None)
            stored += status == 201
        print(f"{stored} of {len(files)} corpus files stored under {len(domains)} domains", file=sys.stderr)
        time.sleep(3)  # let issue evaluation run once

        tls = api.json("GET", "/api/v1/reports?domain=company-y.example&kind=tls_report&limit=1")["items"][0]
        year = "from=2024-01-01&to=2024-12-31"
        docs = {
            "domain-report": f"/api/v1/domains/example.com/document?{year}",
            "tls-report": f"/api/v1/reports/{urllib.parse.quote(tls['id'])}/document?",
            "portfolio": f"/api/v1/portfolio/document?{year}",
        }
        os.makedirs(a.out, exist_ok=True)
        for name, path in docs.items():
            for lang in ("en", "nl"):
                sep = "" if path.endswith("?") else "&"
                _, pdf = api.call("GET", f"{path}{sep}format=pdf&language={lang}")
                out = os.path.join(a.out, f"{name}.{lang}.pdf")
                with open(out, "wb") as f:
                    f.write(pdf)
                subprocess.run(["pdftoppm", "-png", "-r", str(a.dpi), "-f", "1", "-l", "1", "-singlefile",
                                out, out[: -len(".pdf")]], check=True)
                print(f"wrote {out} ({len(pdf):,} bytes) and its first page", file=sys.stderr)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
