"""Backup and restore of the whole database, one command each.

PostgreSQL uses pg_dump's custom format (restored with pg_restore); SQLite uses its online
backup API. Both work on a live site: pg_dump reads one consistent snapshot.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

PG_BIN_DIRS = [Path("/usr/lib/postgresql") / v / "bin" for v in ("17", "16", "15")]


def _pg_tool(name: str) -> str:
    for directory in PG_BIN_DIRS:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _pg_environment(alias: str) -> dict[str, str]:
    settings_dict = connections[alias].settings_dict
    env = dict(os.environ)
    env.update(
        PGDATABASE=settings_dict["NAME"],
        PGUSER=settings_dict.get("USER") or env.get("PGUSER", ""),
        PGHOST=settings_dict.get("HOST") or "",
        PGPORT=str(settings_dict.get("PORT") or ""),
    )
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return {k: v for k, v in env.items() if v != ""}


def backup(path: Path, *, alias: str = "default") -> Path:
    connection = connections[alias]
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        subprocess.run(  # noqa: S603 -- fixed tool path and our own arguments
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", path],
            env=_pg_environment(alias),
            check=True,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise RuntimeError(f"No backup for the {connection.vendor} database")
    return path


def restore(path: Path, *, alias: str = "default") -> None:
    """Replace everything in the database with the backup's contents."""
    if not path.is_file():
        raise FileNotFoundError(path)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(  # noqa: S603 -- fixed tool path and our own arguments
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                _pg_environment(alias)["PGDATABASE"],
                path,
            ],
            env=_pg_environment(alias),
            check=True,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise RuntimeError(f"No restore for the {connection.vendor} database")
