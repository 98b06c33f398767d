"""One serving process per SQLite file (processes remember tenants; only PostgreSQL notifies them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketbox.store.database import Database


def test_a_second_server_on_the_same_sqlite_file_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.sqlite3'}"
    first, second = Database(url), Database(url)
    release = first.claim_sole_server()
    with pytest.raises(RuntimeError, match="one server per SQLite file"):
        second.claim_sole_server()
    release()
    second.claim_sole_server()()


def test_other_files_and_postgresql_are_not_guarded(tmp_path: Path) -> None:
    Database(f"sqlite:///{tmp_path / 'a.sqlite3'}").claim_sole_server()
    Database(f"sqlite:///{tmp_path / 'b.sqlite3'}").claim_sole_server()
    Database("postgresql://postgres@127.0.0.1:5432/test").claim_sole_server()()
