#!/usr/bin/env python3
"""SMTP clients for ruad's mail intake tests, built on Python's standard library only
(smtplib, ssl, socket, email): real clients ruad's authors did not write. Each command
prints one JSON document on stdout.

  send     --port P --to ADDR [--to ADDR] (--file F | --report DOMAIN:ID) [--starttls]
           smtplib.SMTP.sendmail; {"ok": true, "refused": {...}} or the error
  raw      --port P --to ADDR --file F      EHLO, MAIL (no SIZE), RCPT, DATA by hand;
                                            {"replies": [...]} (each command's last line)
  pipeline --port P --to ADDR --report DOMAIN:ID [--count N]
           every command of N messages written at once, then the replies read
  slow     --port P --sleep S               greeting, then silence; what the server said
  peercert --port P                         STARTTLS; sha256 of the server certificate
  flood    --port P --to ADDR --threads N --records R --prefix X [--messages M]
           N threads sending reports of R records (ids X-1, X-2, …) until M are sent
           (default: until the server goes away); one line {"acked": ID} per 250, at once
  make     KIND OUT [N]                     write a test message: zipbomb, parts, header
"""

import gzip
import hashlib
import io
import json
import smtplib
import socket
import ssl
import sys
import time
import zipfile
from email.message import EmailMessage

HOST = "127.0.0.1"
FROM = "dmarc-noreply@receiver.example"


def report_xml(domain, report_id, begin=1700006400, rows=2):
    records = "".join(
        f"<record><row><source_ip>198.51.{i // 250}.{i % 250 + 1}</source_ip><count>{i + 1}</count>"
        "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf>"
        f"</policy_evaluated></row><identifiers><header_from>{domain}</header_from></identifiers>"
        f"<auth_results><spf><domain>{domain}</domain><result>pass</result></spf></auth_results></record>"
        for i in range(rows)
    )
    return (
        '<?xml version="1.0"?><feedback><version>1.0</version><report_metadata>'
        "<org_name>receiver.example</org_name><email>dmarc@receiver.example</email>"
        f"<report_id>{report_id}</report_id><date_range><begin>{begin}</begin>"
        f"<end>{begin + 86399}</end></date_range></report_metadata><policy_published>"
        f"<domain>{domain}</domain><p>none</p></policy_published>{records}</feedback>"
    )


def report_email(spec, to="reports@example.net", rows=2):
    domain, report_id = spec.split(":", 1)
    msg = EmailMessage()
    msg["From"] = FROM
    msg["To"] = to
    msg["Subject"] = f"Report Domain: {domain} Submitter: receiver.example Report-ID: {report_id}"
    msg.set_content("This is a DMARC aggregate report.\n")
    msg.add_attachment(
        gzip.compress(report_xml(domain, report_id, rows=rows).encode()),
        maintype="application",
        subtype="gzip",
        filename=f"receiver.example!{domain}!1700006400!1700092799!{report_id}.xml.gz",
    )
    return msg.as_bytes()


def args(argv):
    out = {"to": []}
    i = 0
    while i < len(argv):
        key = argv[i].lstrip("-")
        if key in ("starttls",):
            out[key] = True
            i += 1
            continue
        value = argv[i + 1]
        if key == "to":
            out["to"].append(value)
        else:
            out[key] = value
        i += 2
    return out


def message(a):
    if "file" in a:
        with open(a["file"], "rb") as f:
            return f.read()
    return report_email(a["report"], a["to"][0] if a["to"] else "x@example.net")


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def send(a):
    data = message(a)
    try:
        with smtplib.SMTP(HOST, int(a["port"]), timeout=60) as s:
            s.ehlo("client.example")
            if a.get("starttls"):
                s.starttls(context=tls_context())
                s.ehlo("client.example")
            refused = s.sendmail(FROM, a["to"], data)
            return {"ok": True, "refused": {k: [v[0], v[1].decode()] for k, v in refused.items()}}
    except smtplib.SMTPRecipientsRefused as e:
        return {"error": "recipients", "refused": {k: [v[0], v[1].decode()] for k, v in e.recipients.items()}}
    except smtplib.SMTPResponseException as e:
        return {"error": type(e).__name__, "code": e.smtp_code, "message": e.smtp_error.decode()}


class Lines:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def reply(self):
        """One whole reply (all its lines); the last line's text."""
        lines = []
        while True:
            while b"\r\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    lines.append("<closed>")
                    return lines
                self.buf += chunk
            line, self.buf = self.buf.split(b"\r\n", 1)
            text = line.decode(errors="replace")
            lines.append(text)
            if len(text) < 4 or text[3] != "-":
                return lines


def stuffed(data):
    out = []
    for line in data.replace(b"\r\n", b"\n").split(b"\n"):
        out.append((b"." + line) if line.startswith(b".") else line)
    return b"\r\n".join(out).rstrip(b"\r\n") + b"\r\n.\r\n"


def raw(a):
    data = message(a)
    with socket.create_connection((HOST, int(a["port"])), timeout=60) as sock:
        r = Lines(sock)
        replies = [r.reply()[-1]]
        for cmd in ["EHLO client.example", f"MAIL FROM:<{FROM}>"] + [f"RCPT TO:<{t}>" for t in a["to"]] + ["DATA"]:
            sock.sendall(cmd.encode() + b"\r\n")
            replies.append(r.reply()[-1])
        if replies[-1].startswith("354"):
            sock.sendall(stuffed(data))
            replies.append(r.reply()[-1])
        sock.sendall(b"QUIT\r\n")
        replies.append(r.reply()[-1])
        return {"replies": replies}


def pipeline(a):
    count = int(a.get("count", "1"))
    domain, rid = a["report"].split(":", 1)
    with socket.create_connection((HOST, int(a["port"])), timeout=60) as sock:
        r = Lines(sock)
        greeting = r.reply()[-1]
        sock.sendall(b"EHLO client.example\r\n")
        ehlo = r.reply()
        # RFC 2920: MAIL, RCPT and DATA go in one write; the message after 354.
        replies = []
        for n in range(count):
            batch = f"MAIL FROM:<{FROM}>\r\nRCPT TO:<{a['to'][0]}>\r\nRCPT TO:<{a['to'][0]}>\r\nDATA\r\n"
            sock.sendall(batch.encode())
            got = [r.reply()[-1] for _ in range(4)]
            if got[-1].startswith("354"):
                sock.sendall(stuffed(report_email(f"{domain}:{rid}-{n}", a["to"][0])))
                got.append(r.reply()[-1])
            replies.append(got)
        sock.sendall(b"NOOP\r\nRSET\r\nQUIT\r\n")
        tail = [r.reply()[-1] for _ in range(3)]
        return {"greeting": greeting, "ehlo": ehlo, "messages": replies, "tail": tail}


def slow(a):
    with socket.create_connection((HOST, int(a["port"])), timeout=60) as sock:
        r = Lines(sock)
        greeting = r.reply()[-1]
        time.sleep(float(a["sleep"]))
        after = r.reply()
        closed = r.reply() == ["<closed>"]
        return {"greeting": greeting, "after": after, "closed": closed}


def peercert(a):
    with smtplib.SMTP(HOST, int(a["port"]), timeout=60) as s:
        s.ehlo("client.example")
        s.starttls(context=tls_context())
        der = s.sock.getpeercert(binary_form=True)
        code, _ = s.ehlo("client.example")
        return {"sha256": hashlib.sha256(der).hexdigest(), "ehlo_after_tls": code}


def make(kind, out, n):
    msg = EmailMessage()
    msg["From"] = FROM
    msg["To"] = "reports@example.net"
    msg["Subject"] = f"Report Domain: example.com Submitter: test Report-ID: {kind}"
    if kind == "zipbomb":
        # A report header for example.com, then n MiB of XML comments: deflated to a few
        # hundred KiB, it unpacks to far more than any limit.
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            with z.open("report.xml", "w", force_zip64=True) as f:
                f.write(
                    b"<feedback><report_metadata><org_name>x</org_name><email>a@x.example</email>"
                    b"<report_id>bomb</report_id><date_range><begin>0</begin><end>1</end></date_range>"
                    b"</report_metadata><policy_published><domain>example.com</domain></policy_published>"
                )
                block = b"<!-- padding -->" * (1 << 16)
                for _ in range(n):
                    f.write(block)
        msg.set_content("zip bomb\n")
        msg.add_attachment(buf.getvalue(), maintype="application", subtype="zip", filename="report.zip")
        data = msg.as_bytes()
    elif kind == "parts":
        msg.set_content("many parts\n")
        for i in range(n):
            msg.add_attachment(f"part {i}\n", filename=f"p{i}.txt")
        data = msg.as_bytes()
    elif kind == "header":
        data = (
            f"From: {FROM}\r\nTo: reports@example.net\r\nX-Long: ".encode()
            + b"a" * n
            + b"\r\nSubject: long header\r\n\r\nbody\r\n"
        )
    else:
        raise SystemExit(f"unknown kind {kind}")
    with open(out, "wb") as f:
        f.write(data)
    return {"bytes": len(data)}


def flood(a):
    import threading

    lock = threading.Lock()
    state = {"next": 0, "acked": 0, "refused": 0}
    limit = int(a.get("messages", "0"))
    rows = int(a["records"])
    started = time.monotonic()

    def worker():
        s = None
        while True:
            with lock:
                if limit and state["next"] >= limit:
                    break
                state["next"] += 1
                n = state["next"]
            rid = f"{a['prefix']}-{n}"
            data = report_email(f"example.com:{rid}", a["to"][0], rows=rows)
            try:
                if s is None:
                    s = smtplib.SMTP(HOST, int(a["port"]), timeout=30)
                    s.ehlo("client.example")
                s.sendmail(FROM, a["to"], data)
            except smtplib.SMTPResponseException:
                with lock:
                    state["refused"] += 1
                continue
            except (OSError, smtplib.SMTPException):
                # The server went away: stop this client.
                break
            with lock:
                state["acked"] += 1
                sys.stdout.write(json.dumps({"acked": rid}) + "\n")
                sys.stdout.flush()
        if s is not None:
            try:
                s.quit()
            except (OSError, smtplib.SMTPException):
                pass

    threads = [threading.Thread(target=worker) for _ in range(int(a["threads"]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"acked": state["acked"], "refused": state["refused"], "seconds": time.monotonic() - started}


def main():
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "make":
        result = make(rest[0], rest[1], int(rest[2]) if len(rest) > 2 else 0)
    else:
        result = {
            "send": send,
            "raw": raw,
            "pipeline": pipeline,
            "slow": slow,
            "peercert": peercert,
            "flood": flood,
        }[cmd](args(rest))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
