"""Real servers for the backend tests: Neo4j 5 (tools/neo4j/run.sh) and Oxigraph, on 127.0.0.1.

The fixtures ``neo4j_server`` and ``oxigraph_server`` are registered for every test module by
tests/conftest.py (importing them into a module, as older modules do, works the same). Each
server gets a temporary data folder and a free port. Neo4j (a JVM, ~15-40 s to start) is started
once per run and emptied at the start of every module that uses it; Oxigraph (~1 s) is started
for each module that uses it and stopped when the module ends. A server that does not start FAILS the tests when ``CI=true`` (CI must never pass by
skipping them); elsewhere the tests that need it are skipped with the reason.
"""

from __future__ import annotations

import atexit
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [  # a headless browser that talks to nothing but the app under test
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

ROOT = Path(__file__).resolve().parent.parent
RUN_NEO4J = ROOT / "tools" / "neo4j" / "run.sh"
IN_CI = os.environ.get("CI", "").lower() == "true"
NEO4J_START_SECONDS = float(
    os.environ.get("KG_TEST_NEO4J_START", "300")
)  # the first build downloads ~160 MB


class ServerFailed(Exception):
    pass


def unavailable(reason: str) -> None:
    """Fail in CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(
            f"{reason} (CI=true: a server that does not start fails the run)", pytrace=False
        )
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(proc: subprocess.Popen | None, hard: bool = False) -> None:
    """Stop the process group we started (never anything else)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL if hard else signal.SIGTERM)
        proc.wait(timeout=5 if hard else 30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@dataclass
class Neo4jServer:
    """One Neo4j started by tools/neo4j/run.sh; ``start`` again reuses the data folder."""

    data: Path
    password_file: Path
    uri: str = ""
    proc: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.data.parent / f"{self.data.name}.log"

    def start(self, timeout: float = NEO4J_START_SECONDS) -> Neo4jServer:
        if shutil.which("java") is None:
            raise ServerFailed("java is not installed (Neo4j needs Java 17+)")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [
                    str(RUN_NEO4J),
                    "--port",
                    "0",
                    "--data",
                    str(self.data),
                    "--password-file",
                    str(self.password_file),
                ],
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        atexit.register(_stop, self.proc, True)  # also if the test run itself dies
        deadline = time.monotonic() + timeout
        line = b""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerFailed(f"Neo4j exited with {self.proc.returncode}:\n{_tail(self.log)}")
            ready, _, _ = select.select([self.proc.stdout], [], [], 1.0)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith(b"READY "):
                    self.uri = line.split()[1].decode()
                    break
        else:
            self.stop(hard=True)
            raise ServerFailed(
                f"Neo4j did not print READY within {timeout:.0f} s:\n{_tail(self.log)}"
            )
        try:
            self.warm_up()
        except Exception as e:  # a server that answers READY but not Cypher is no server
            self.stop(hard=True)
            raise ServerFailed(f"Neo4j did not answer RETURN 1: {e}") from None
        return self

    def warm_up(self) -> None:
        """The first Cypher after a start takes ~2 s; pay it here, not in a timed test."""
        import neo4j

        with neo4j.GraphDatabase.driver(
            self.uri, auth=("neo4j", self.password_file.read_text().strip())
        ) as d:
            d.execute_query("RETURN 1")

    def reset(self) -> None:
        """Make the database as a fresh start leaves it: no nodes, no constraints or indexes of
        ours, no cached plans (graph/push.py plans differently on an empty database). One server
        serves the whole run (tests/conftest.py); each test module gets it reset like this."""
        import neo4j

        with neo4j.GraphDatabase.driver(
            self.uri, auth=("neo4j", self.password_file.read_text().strip())
        ) as d:
            d.execute_query("MATCH (n) DETACH DELETE n")
            for (name,) in d.execute_query("SHOW CONSTRAINTS YIELD name").records:
                d.execute_query(f"DROP CONSTRAINT `{name}`")
            indexes = "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"
            for (name,) in d.execute_query(indexes).records:
                d.execute_query(f"DROP INDEX `{name}`")
            d.execute_query("CALL db.clearQueryCaches()")
            left = d.execute_query("MATCH (n) RETURN count(n)").records[0][0]
        if left:
            raise ServerFailed(f"Neo4j still holds {left} nodes after the reset")

    def store(self, **kw):
        from graph.neo4j import Neo4jStore

        return Neo4jStore(self.uri, "neo4j", password_file=str(self.password_file), **kw)

    def stop(self, hard: bool = False) -> None:
        _stop(self.proc, hard)


def new_neo4j(root: Path) -> Neo4jServer:
    root.mkdir(parents=True, exist_ok=True)
    password = root / "password"
    password.write_text(secrets.token_urlsafe(24))
    password.chmod(0o600)
    return Neo4jServer(root / "data", password)


@dataclass
class OxigraphServer:
    location: Path
    port: int = 0
    proc: subprocess.Popen | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def store_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/store"

    def start(self, timeout: float = 30) -> OxigraphServer:
        exe = shutil.which("oxigraph")
        if exe is None:
            raise ServerFailed("the oxigraph command is not installed (pip install oxigraph)")
        self.location.parent.mkdir(parents=True, exist_ok=True)
        log = self.location.parent / "oxigraph.log"
        for _ in range(3):  # another process may take the free port before the server binds it
            self.port = free_port()
            with open(log, "ab") as out:
                self.proc = subprocess.Popen(
                    [
                        exe,
                        "serve",
                        "--location",
                        str(self.location),
                        "--bind",
                        f"127.0.0.1:{self.port}",
                        "--timeout-s",
                        "15",
                    ],
                    stdout=out,
                    stderr=out,
                    start_new_session=True,
                )
            atexit.register(_stop, self.proc)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    request = urllib.request.Request(
                        self.query_url,
                        data=b"ASK {}",
                        method="POST",
                        headers={"Content-Type": "application/sparql-query"},
                    )
                    urllib.request.urlopen(request, timeout=2).close()
                    return self
                except OSError:
                    time.sleep(0.2)
            self.stop()
        raise ServerFailed(f"Oxigraph did not start:\n{_tail(log)}")

    def stop(self) -> None:
        _stop(self.proc)


@pytest.fixture(scope="session")
def neo4j_process(tmp_path_factory):
    """The one Neo4j of the run (tests/conftest.py registers it): a start costs ~15-40 s, and each
    module that imported its own session fixture used to start its own JVM. Tests ask for
    ``neo4j_server``, which hands it over reset."""
    server = new_neo4j(tmp_path_factory.mktemp("neo4j"))
    try:
        server.start()
    except ServerFailed as e:
        unavailable(f"Neo4j did not start: {e}")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def neo4j_server(neo4j_process):
    """The run's Neo4j, emptied at the start of each module: a module sees the server as a fresh
    start leaves it, whatever the modules before it wrote, and its tests share it as before."""
    try:
        neo4j_process.reset()
    except Exception as e:  # a server that cannot be emptied is no server for these tests
        pytest.fail(f"Neo4j could not be reset: {e}", pytrace=False)
    return neo4j_process


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A fresh Oxigraph server per module, stopped when the module ends: it starts in about a
    second, and emptying one with DROP ALL instead left its queries ~5x slower (RocksDB
    tombstones), past the 10 s limit of the SPARQL tests on a busy machine."""
    root = tmp_path_factory.mktemp("oxigraph")
    server = OxigraphServer(root / "data")
    try:
        server.start()
    except ServerFailed as e:
        unavailable(f"Oxigraph did not start: {e}")
    yield server
    server.stop()


class AppServer:
    """``streamlit run serve.py`` (the app warmed before its first visitor; ``script="app.py"``:
    as it starts bare) on 127.0.0.1 in its own process group, for the browser tests,
    bench/app_bench.py and tools/screenshots.py (one way to start the app).

    ``env``: variables over this process's own (KG_STORE, KG_BACKEND, …; KG_LANG defaults to
    nb); ``secrets``: the text of a secrets file (``{port}`` is replaced by the chosen port,
    for the sign-in's redirect address); ``log``: where the app's output goes.
    """

    def __init__(
        self,
        log: Path,
        env: dict[str, str] | None = None,
        secrets: str | None = None,
        start_seconds: float = 120,
        script: str = "serve.py",
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        args = [
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--client.toolbarMode",
            "minimal",
            "--server.fileWatcherType",
            "none",
        ]
        if secrets is not None:
            self.secrets_file = log.with_name(log.stem + "-secrets.toml")
            self.secrets_file.write_text(secrets.replace("{port}", str(self.port)))
            args += ["--secrets.files", str(self.secrets_file)]
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, *args],
            cwd=ROOT,
            env={**os.environ, "KG_LANG": "nb", "PYTHONPATH": str(ROOT), **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + start_seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.close()
                raise RuntimeError(
                    f"streamlit exited with {self.proc.returncode}; see {log}:\n{_tail(log)}"
                )
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start in {start_seconds:.0f} s; see {log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if not self.log.closed:
            self.log.close()
