#!/usr/bin/env python3
"""Test helper: Python's imaplib (a client ruad did not write) against the test Dovecot.

usage: imap_client.py PORT CA_FILE USER PASSWORD COMMAND [ARGS...]
  append FOLDER FILE...   append each file as a message (folder created when missing)
  count FOLDER            print the number of messages (0 when the folder does not exist)
  uidvalidity FOLDER      print the folder's UIDVALIDITY
  recreate FOLDER         delete the folder and create it again (a new UIDVALIDITY)
  seen FOLDER             print how many messages are flagged \\Seen
  subjects FOLDER         print the Subject of every message, one a line
"""
import imaplib
import ssl
import sys


def main():
    port, ca, user, password, command, *args = sys.argv[1:]
    context = ssl.create_default_context(cafile=ca)
    imap = imaplib.IMAP4_SSL("127.0.0.1", int(port), ssl_context=context)
    imap.login(user, password)
    folder = args[0]
    quoted = '"' + folder + '"'
    if command == "append":
        imap.create(quoted)  # NO when it exists: fine
        for path in args[1:]:
            with open(path, "rb") as f:
                data = f.read()
            typ, detail = imap.append(quoted, None, None, data)
            if typ != "OK":
                raise SystemExit(f"append {path}: {detail}")
    elif command == "count":
        typ, data = imap.select(quoted, readonly=True)
        print(int(data[0]) if typ == "OK" else 0)
    elif command == "uidvalidity":
        typ, data = imap.status(quoted, "(UIDVALIDITY)")
        if typ != "OK":
            raise SystemExit(f"status: {data}")
        text = data[0].decode()
        print(text.split("UIDVALIDITY")[1].strip(" )"))
    elif command == "recreate":
        typ, data = imap.delete(quoted)
        if typ != "OK":
            raise SystemExit(f"delete: {data}")
        typ, data = imap.create(quoted)
        if typ != "OK":
            raise SystemExit(f"create: {data}")
    elif command == "seen":
        typ, data = imap.select(quoted, readonly=True)
        if typ != "OK":
            raise SystemExit(f"select: {data}")
        typ, data = imap.search(None, "SEEN")
        print(len(data[0].split()))
    elif command == "subjects":
        typ, data = imap.select(quoted, readonly=True)
        if typ == "OK" and int(data[0]) > 0:
            typ, data = imap.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            for item in data:
                if isinstance(item, tuple):
                    header = item[1].decode(errors="replace").strip()
                    print(" ".join(header.split()).removeprefix("Subject: "))
    else:
        raise SystemExit(f"unknown command {command}")
    imap.logout()


main()
