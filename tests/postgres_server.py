"""A throwaway PostgreSQL server from the installed binaries, for one test session.

PostgreSQL refuses to run as root, and the tests run as root here: the server then runs as
the `postgres` account the package created, in a temporary directory it owns. It listens on
a Unix socket in that directory only (no TCP port to collide with anything), with fsync off:
a crash loses a throwaway database, nothing else.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# What a developer installs to run these tests (Debian/Ubuntu; the package pulls the server).
PACKAGE = "postgresql"
SKIP_REASON = (
    f"PostgreSQL server binaries not found: install the package `{PACKAGE}` "
    f"(apt-get install {PACKAGE}) to run the PostgreSQL tests"
)
_ACCOUNT = "postgres"
_PORT = 5432  # only the socket's file name: the socket lives in our own directory


def find_bin_dir() -> Path | None:
    """The newest installed server's bin directory (Debian keeps them off PATH), or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PostgresServer:
    root: Path
    bin_dir: Path

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    def url(self, database: str) -> str:
        return f"postgresql://{_ACCOUNT}@/{database}?host={self.socket_dir}&port={_PORT}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", _ACCOUNT, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start(bin_dir: Path) -> PostgresServer:
    """initdb and start a server; the caller stops it (PostgresServer.stop)."""
    root = Path(tempfile.mkdtemp(prefix="yeongye-pg-"))
    server = PostgresServer(root, bin_dir)
    server.socket_dir.mkdir()
    if os.geteuid() == 0:
        account = pwd.getpwnam(_ACCOUNT)
        for path in (root, server.socket_dir):
            os.chown(path, account.pw_uid, account.pw_gid)
    try:
        server._run(
            "initdb", "-D", str(root / "data"), "-U", _ACCOUNT, "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={server.socket_dir}"
            f" -c port={_PORT} -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200"
        )
        server._run(
            "pg_ctl", "-D", str(root / "data"), "-o", options,
            "-l", str(root / "server.log"), "-w", "start",
        )  # fmt: skip
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server
