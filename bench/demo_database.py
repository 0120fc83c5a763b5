"""What the benchmarks share: for the HTTP ones (bench/mark_path.py, bench/live_board.py) a fresh PostgreSQL database
with the demo in it, the environment a server process of the bench runs with, and waiting for a server to answer;
for the import ones (bench/roster_import.py, bench/batch_registration_import.py) Django set up in process.

`prepare_demo` drops and creates the database, migrates it, seeds the demo, and runs the calling script again with
one flag inside Django (the script's own preparation: tokens, groups), whose last output line is JSON.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def server_env(db_url: str, redis_url: str | None) -> dict[str, str]:
    """This process's environment for a bench server: the database, Redis (or none: the in-memory layer), and
    production settings. Production settings need a folder for the certificate signing keys: the bench's own,
    under var/ (empty unless a bench makes a key; a caller may name another)."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    keys_dir = ROOT / "var" / "bench-certificate-keys"
    keys_dir.mkdir(parents=True, exist_ok=True)
    env.setdefault("CERTIFICATE_KEYS_DIR", str(keys_dir))
    env.update(DATABASE_URL=db_url, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), SECURE_HTTPS="false",
               DJANGO_SETTINGS_MODULE="config.settings")
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    return env


def psql(url: str, sql: str) -> Any:
    """One statement in autocommit; its rows, if it returns any."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description is not None else None


def prepare_demo(admin_url: str, db: str, env: dict[str, str], script: str, flag: str) -> Any:
    """A fresh database `db` with the demo (module docstring); returns what `script flag` printed as JSON."""
    psql(admin_url, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    psql(admin_url, f'CREATE DATABASE "{db}"')
    # Our own interpreter and scripts, with arguments written here.
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([PY, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True,  # noqa: S603
                   stdout=subprocess.DEVNULL)
    out = subprocess.run([PY, script, flag], cwd=ROOT, env=env, check=True,  # noqa: S603
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_http(port: int, proc: subprocess.Popen[bytes]) -> None:
    """Until the server on `port` answers /healthz (30 s at most); fails when it exits or never answers."""
    for _ in range(150):
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server on port {port} did not start")


def django_in_process(sqlite_path: str | None) -> None:
    """Django set up in this process (the import benchmarks run the services in process), on a fresh SQLite file at
    `sqlite_path` or on whatever DATABASE_URL names (PostgreSQL), migrated."""
    if sqlite_path:
        path = Path(sqlite_path).resolve()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
