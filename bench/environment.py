"""The production-mode environment the bench runs under, and its dedicated database."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import psycopg
from psycopg import sql

from bench.config import HOST, REPO_DIR, Config

STATE_DIR = REPO_DIR / "var" / "bench" / "state"
# A Redis database of its own, so a flush never touches `make serve`'s cache or sessions.
REDIS_URL = f"redis://{HOST}:6379/13"


def production_environment(config: Config) -> dict[str, str]:
    """Variables for this process and for gunicorn: production mode on the bench database."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "DATABASE_URL": config.database_url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": "bench",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(STATE_DIR),
        "LOG_LEVEL": "WARNING",
    }


def apply(config: Config) -> dict[str, str]:
    """Set the environment for this process before Django is imported; return it."""
    values = production_environment(config)
    os.environ.update(values)
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    return values


def reset_database(name: str) -> None:
    """Drop and create the bench's own database; no other database is ever touched."""
    if not name.endswith("_bench"):
        raise ValueError(f"refusing to reset {name!r}: a bench database ends in _bench")
    with psycopg.connect(
        host=HOST, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def flush_cache() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def manage(*args: str) -> None:
    """Run a management command in a child process with this process's environment."""
    subprocess.run(
        [sys.executable, str(REPO_DIR / "manage.py"), *args],
        check=True,
        cwd=REPO_DIR,
        stdout=subprocess.DEVNULL,
    )


def prepare(config: Config) -> None:
    """A fresh database with the schema and the curriculum, and the static files."""
    reset_database(config.database)
    flush_cache()
    manage("migrate", "--noinput")
    manage("load_curriculum")
    manage("collectstatic", "--noinput", "--verbosity", "0")
