#!/usr/bin/env python3
"""A real SMTP server on loopback for the digest tests (aiosmtpd).

usage: smtp_sink.py PORT OUTDIR [--fail-first N CODE] [--always CODE]

Every DATA is answered 250 and the message written to OUTDIR/NNN.eml, with its envelope in
OUTDIR/NNN.json, unless the first N DATA commands are to be answered with CODE (e.g. 451)
or every one with --always CODE (e.g. 554). Every DATA's answer is appended to
OUTDIR/answers.log. Prints READY on stdout once it listens; stops when stdin closes.
"""
import asyncio
import json
import os
import sys

from aiosmtpd.controller import Controller

REPLIES = {
    "421": "421 4.3.2 service shutting down",
    "451": "451 4.3.0 try again later",
    "452": "452 4.3.1 insufficient system storage",
    "550": "550 5.1.1 mailbox unavailable",
    "554": "554 5.7.1 message refused",
}


class Sink:
    def __init__(self, outdir, fail_first, fail_code, always):
        self.outdir = outdir
        self.fail_first = fail_first
        self.fail_code = fail_code
        self.always = always
        self.count = 0

    def answer(self, reply):
        with open(os.path.join(self.outdir, "answers.log"), "a") as f:
            f.write(reply + "\n")
        return reply

    async def handle_DATA(self, server, session, envelope):
        if self.always:
            return self.answer(REPLIES[self.always])
        if self.fail_first > 0:
            self.fail_first -= 1
            return self.answer(REPLIES[self.fail_code])
        self.count += 1
        stem = os.path.join(self.outdir, "%03d" % self.count)
        with open(stem + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(stem + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(stem + ".tmp", stem + ".eml")
        return self.answer("250 2.0.0 OK queued as %03d" % self.count)


def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    args = sys.argv[3:]
    fail_first, fail_code, always = 0, "451", None
    while args:
        if args[0] == "--fail-first":
            fail_first, fail_code, args = int(args[1]), args[2], args[3:]
        elif args[0] == "--always":
            always, args = args[1], args[2:]
        else:
            sys.exit("unknown argument %r" % args[0])
    controller = Controller(
        Sink(outdir, fail_first, fail_code, always),
        hostname="127.0.0.1",
        port=port,
        data_size_limit=64 << 20,
    )
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
