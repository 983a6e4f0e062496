"""Starts a real ruad for the end-to-end tests: SQLite in a temporary directory, a free port
on 127.0.0.1, no DNS or background jobs reaching out. Tenants and keys are made with the
`ruad admin` CLI; everything after that goes through the SDK.

RUAD_BIN names the server binary (default: target/debug/ruad of this repository, or of
$CARGO_TARGET_DIR); RUAD_CORPUS_DIR the shared report corpus (default ../shared/corpus).
A missing binary or corpus fails the tests: they never pass without having run.
"""

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]


def ruad_bin() -> Path:
    if os.environ.get("RUAD_BIN"):
        path = Path(os.environ["RUAD_BIN"])
    else:
        target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
        path = target / "debug" / "ruad"
    if not path.is_file():
        pytest.fail(f"ruad binary not found at {path}: run `cargo build --bin ruad` or set RUAD_BIN")
    return path


def corpus_dir() -> Path:
    path = Path(os.environ.get("RUAD_CORPUS_DIR") or REPO.parent / "shared" / "corpus")
    if not (path / "EXPECTED.json").is_file():
        pytest.fail(f"report corpus not found at {path}: set RUAD_CORPUS_DIR")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ruad:
    """A running ruad and the CLI bound to its database."""

    def __init__(self, tmp: Path):
        self.bin = ruad_bin()
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        # Only our settings: a RUAD_* variable of the caller's would be read by ruad too.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RUAD_")}
        self.env.update(
            RUAD_DATABASE_URL=f"sqlite://{tmp / 'ruad.db'}",
            RUAD_LISTEN=f"127.0.0.1:{port}",
            RUAD_DNS_NAMESERVERS="127.0.0.1:1",
            RUAD_DNS_TIMEOUT_MS="200",
            RUAD_JOBS_ENABLED="false",
            RUAD_WORKERS="2",
            RUST_LOG="warn",
        )
        self.log = open(tmp / "ruad.log", "wb")
        self.process = None

    def admin(self, *args: str) -> dict:
        out = subprocess.run(
            [str(self.bin), "admin", *args], env=self.env, check=True, capture_output=True
        )
        return json.loads(out.stdout)

    def start(self) -> None:
        """Starts ruad. Its port was found free by binding port 0 and letting it go, so another
        process can take it first: then ruad exits saying so, and it starts on another port."""
        for _ in range(5):
            self.process = subprocess.Popen(
                [str(self.bin), "serve"], env=self.env, stdout=self.log, stderr=subprocess.STDOUT
            )
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    if httpx.get(f"{self.base_url}/readyz", timeout=1).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                self.process.kill()
                raise RuntimeError(f"ruad did not become ready; its log:\n{self._log_text()}")
            log = self._log_text()
            if "Address already in use" not in log:
                raise RuntimeError(f"ruad exited with {self.process.returncode}; its log:\n{log}")
            port = free_port()
            self.base_url = f"http://127.0.0.1:{port}"
            self.env["RUAD_LISTEN"] = f"127.0.0.1:{port}"
        raise RuntimeError("ruad found its port taken five times in a row")

    def _log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture
def ruad(tmp_path):
    server = Ruad(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def corpus():
    """The gzip DMARC report and the TLS JSON report the tests upload, with their expected
    figures from the corpus' EXPECTED.json."""
    root = corpus_dir()
    expected = json.loads((root / "EXPECTED.json").read_text())["files"]
    dmarc = "aggregate/samuelba-visualizer__google.com!example.com!1701129600!1701215999.xml.gz"
    tls = "smtp_tls/mail-auth__rpt02.json"
    return {
        "dmarc": {**expected[dmarc], "data": (root / dmarc).read_bytes()},
        "tls": {**expected[tls], "data": (root / tls).read_bytes()},
    }
