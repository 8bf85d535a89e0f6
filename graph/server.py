"""A real Neo4j Community server, resolved from Maven Central and run as a background JVM — no Docker.

``LocalNeo4j`` owns one *instance*: a home directory with ``conf/neo4j.conf``, ``data/``, ``logs/``, a pid file,
a console log and the generated password. Jars live in a shared cache (downloaded once per version). The server
entry point is the one ``bin/neo4j console`` ends in: ``org.neo4j.server.CommunityEntryPoint``.
See docs/neo4j-local.md for the research behind it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_exc

from graph import browser_jar, storeswap
from graph.errors import LocalServerError, PrerequisiteMissing

log = logging.getLogger(__name__)

# The one place the Neo4j version is pinned (docker-compose.yml is checked against it by a test).
NEO4J_VERSION = "5.26.12"
# Newest Neo4j Browser on Maven Central; it pairs with the 5.26 server.
BROWSER_VERSION = "5.24.0"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
DOCKER_HINT = "or use `docker compose up` instead (see README)"
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
]


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    bolt_uri: str
    browser_url: str
    home: Path
    version: str = NEO4J_VERSION


class LocalNeo4j:
    """Start, stop and inspect one managed Neo4j instance bound to 127.0.0.1."""

    def __init__(
        self,
        *,
        cache_dir: Path,
        home: Path,
        bolt_port: int = 7687,
        http_port: int = 7474,
        heap: str = "2g",
        pagecache: str = "1g",
        tx_memory: str = "2g",
        extra_conf: dict[str, str] | None = None,
        initial_password: str | None = None,
    ) -> None:
        self.lib_dir = cache_dir / f"neo4j-{NEO4J_VERSION}" / "lib"
        self.home = home
        self.bolt_port = bolt_port
        self.http_port = http_port
        self.heap = heap
        self.pagecache = pagecache
        self.tx_memory = tx_memory
        self.extra_conf = extra_conf or {}
        self.initial_password = initial_password  # set on the first start (default: generated)

    # -- paths ---------------------------------------------------------------------------------------------
    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    # -- public operations -----------------------------------------------------------------------------------
    def status(self) -> ServerStatus:
        pid = self._live_pid()
        return ServerStatus(pid is not None, pid, self.bolt_uri, self.browser_url, self.home)

    def start(self, timeout: float = 180.0) -> bool:
        """Start the server and wait until Bolt answers. Returns False if it was already running."""
        if self._live_pid() is not None:
            return False
        self._check_prerequisites()
        self.ensure_jars()
        storeswap.recover(self.home)  # a bulk rebuild's store swap interrupted: the previous store goes back
        self._check_ports_free()
        self._write_conf()
        proc = self._spawn()
        self._wait_ready(proc, timeout)
        self._ensure_password()
        return True

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout``). Returns False if not running."""
        pid = self._live_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _pid_alive(pid):
            time.sleep(0.2)
        if _pid_alive(pid):
            log.warning("Neo4j (pid %s) did not stop in %ss; killing it", pid, timeout)
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def password(self) -> str:
        if not self.password_file.exists():
            raise LocalServerError(f"no password yet for the local Neo4j at {self.home}: run `rdkg neo4j start`")
        return self.password_file.read_text().strip()

    # -- jars ------------------------------------------------------------------------------------------------
    def ensure_jars(self) -> None:
        """Resolve the server and Browser jars into the cache (first run downloads; later runs reuse), and put the
        patched Browser jar in place of the original (``graph/browser_jar.py``: quick when already done)."""
        done = self.lib_dir / ".complete"
        self.lib_dir.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lib_dir.parent / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not done.exists():
                self._download_jars()
                done.write_text(f"{NEO4J_VERSION}\n")
            browser_jar.install(self.lib_dir, BROWSER_VERSION)

    def _download_jars(self) -> None:
        pom_text = (Path(__file__).with_name("neo4j-pom.xml")).read_text()
        pom_text = pom_text.replace("@NEO4J_VERSION@", NEO4J_VERSION).replace("@BROWSER_VERSION@", BROWSER_VERSION)
        pom = self.lib_dir.parent / "pom.xml"
        pom.write_text(pom_text)
        shutil.rmtree(self.lib_dir, ignore_errors=True)
        log.info("Downloading Neo4j %s and Neo4j Browser %s from Maven Central", NEO4J_VERSION, BROWSER_VERSION)
        cmd = [
            "mvn", "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
            "-DincludeScope=runtime", f"-DoutputDirectory={self.lib_dir}",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
            raise LocalServerError("Maven could not resolve Neo4j from Maven Central:\n" + "\n".join(tail))

    # -- start helpers --------------------------------------------------------------------------------------
    def _check_prerequisites(self) -> None:
        for tool, what in (("java", "a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`)"),
                           ("mvn", "Maven (e.g. `apt-get install maven`)")):
            if shutil.which(tool) is None:
                raise PrerequisiteMissing(
                    f"`{tool}` was not found: install {what} to run Neo4j locally, {DOCKER_HINT}."
                )

    def _check_ports_free(self) -> None:
        for port in (self.bolt_port, self.http_port):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    raise LocalServerError(
                        f"port {port} on 127.0.0.1 is already in use by another process; stop it, or set "
                        "NEO4J_URI to use that server, or choose other ports (RDKG_NEO4J_BOLT_PORT / "
                        "RDKG_NEO4J_HTTP_PORT)"
                    )

    def _conf(self) -> dict[str, str]:
        conf = {
            "server.directories.data": str(self.home / "data"),
            "server.directories.logs": str(self.home / "logs"),
            "server.directories.plugins": str(self.home / "plugins"),
            "server.directories.import": str(self.home / "import"),
            "server.directories.run": str(self.home / "run"),
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.listen_address": f":{self.bolt_port}",
            "server.bolt.advertised_address": f":{self.bolt_port}",
            "server.http.listen_address": f":{self.http_port}",
            "server.http.advertised_address": f":{self.http_port}",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "server.memory.heap.initial_size": self.heap,
            "server.memory.heap.max_size": self.heap,
            "server.memory.pagecache.size": self.pagecache,
            "dbms.memory.transaction.total.max": self.tx_memory,
            "dbms.usage_report.enabled": "false",
        }
        conf.update(self.extra_conf)
        return conf

    def _write_conf(self) -> None:
        for sub in ("conf", "data", "logs", "plugins", "import", "run"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        lines = ["# Written by rdkg (graph/server.py) on every start; edit RDKG_* settings instead.", ""]
        lines += [f"{key}={value}" for key, value in self._conf().items()]
        (self.home / "conf" / "neo4j.conf").write_text("\n".join(lines) + "\n")

    def _spawn(self) -> subprocess.Popen[bytes]:
        classpath = f"{self.home / 'plugins'}/*:{self.lib_dir}/*"
        cmd = ["java", f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_FLAGS, "-cp", classpath, ENTRY_POINT,
               f"--home-dir={self.home}", f"--config-dir={self.home / 'conf'}", "--console-mode"]
        with open(self.log_file, "ab") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, cwd=self.home)
        self.pid_file.write_text(f"{proc.pid}\n")
        return proc

    def _wait_ready(self, proc: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.http_port}/"
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise LocalServerError(f"Neo4j exited during start-up (code {proc.returncode}). "
                                       f"Last lines of {self.log_file}:\n{self._log_tail()}")
            if _http_ok(url) and port_open(self.bolt_port):
                return
            time.sleep(0.5)
        raise LocalServerError(f"Neo4j did not answer within {timeout:.0f}s; see {self.log_file}:\n"
                               f"{self._log_tail()}")

    def _ensure_password(self) -> None:
        """On the first start, replace the default password with a generated one kept in the instance dir."""
        if self.password_file.exists():
            return
        new = self.initial_password or secrets.token_urlsafe(18)
        with GraphDatabase.driver(self.bolt_uri, auth=("neo4j", "neo4j")) as driver:
            try:
                driver.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                                     old="neo4j", new=new, database_="system")
            except neo4j_exc.AuthError as exc:
                raise LocalServerError(
                    f"the local Neo4j at {self.home} already has a password that rdkg does not know; "
                    f"delete {self.home} to start afresh"
                ) from exc
        self.password_file.write_text(new + "\n")
        self.password_file.chmod(0o600)

    # -- process helpers --------------------------------------------------------------------------------------
    def _live_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _pid_alive(pid):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return pid
        return pid if ENTRY_POINT.encode() in cmdline else None

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def port_open(port: int) -> bool:
    """Something listens on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False
