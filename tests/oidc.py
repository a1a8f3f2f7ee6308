"""A real OpenID Connect provider for the sign-in tests: tools/oidc/run.sh (mock-oauth2-server).

The fixture ``oidc_server`` is registered for every module by tests/conftest.py (importing it,
as older modules do, works the same). The server runs on 127.0.0.1 with a free port, is
started once per run and stopped at the end of the session. Its login page takes any
user name and a JSON object of extra ID-token claims (e.g. ``{"roles": ["editor"]}``). As with
tests/servers.py, a server that does not start FAILS the tests when ``CI=true`` and skips them
elsewhere.
"""

from __future__ import annotations

import atexit
import json
import select
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import ROOT, ServerFailed, _stop, _tail, unavailable

RUN_OIDC = ROOT / "tools" / "oidc" / "run.sh"


@dataclass
class OidcServer:
    log: Path
    url: str = ""
    proc: subprocess.Popen | None = None

    @property
    def issuer(self) -> str:
        return self.url + "/default"

    @property
    def metadata_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def start(self, timeout: float = 240) -> OidcServer:  # the first build downloads ~25 MB
        if shutil.which("java") is None:
            raise ServerFailed("java is not installed (the OIDC test server needs Java 17+)")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(RUN_OIDC), "--port", "0"],
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        atexit.register(_stop, self.proc, True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerFailed(
                    f"the OIDC server exited with {self.proc.returncode}:\n{_tail(self.log)}"
                )
            ready, _, _ = select.select([self.proc.stdout], [], [], 1.0)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith(b"READY "):
                    self.url = line.split()[1].decode()
                    break
        else:
            self.stop()
            raise ServerFailed(
                f"the OIDC server did not print READY within {timeout:.0f} s:\n{_tail(self.log)}"
            )
        with urllib.request.urlopen(
            self.metadata_url, timeout=10
        ) as r:  # a real discovery document
            meta = json.load(r)
        if meta.get("issuer") != self.issuer:
            self.stop()
            raise ServerFailed(f"unexpected discovery document: {meta}")
        return self

    def stop(self) -> None:
        _stop(self.proc)


@pytest.fixture(scope="session")
def oidc_process(tmp_path_factory):
    """The run's one OIDC provider (a JVM start costs ~10-30 s); tests ask for ``oidc_server``.
    It holds no state the tests rely on: each sign-in posts its own user name and claims.
    (tests/test_cancel.py counts only the children it started itself, so a server left running
    for the session does not disturb it.)"""
    server = OidcServer(tmp_path_factory.mktemp("oidc") / "oidc.log")
    try:
        server.start()
    except ServerFailed as e:
        unavailable(f"the OIDC server did not start: {e}")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def oidc_server(oidc_process):
    return oidc_process
