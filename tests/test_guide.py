"""docs/guide.md runs as printed: its Python blocks, section by section and in order, against a real
marketbox on SQLite and on PostgreSQL whose sandbox is guarded by an admin token. The `assert`s in the
guide do the checking, so the guide cannot drift from what marketbox answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

import pytest

from tests.databases import fresh_database
from tests.servers import RunningServer, running_server

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide.md"
ADMIN_TOKEN = "guide-admin-token"
# The runnable sections (by their number in the guide); section 1's first block is the preamble
# (BASE, the `sandbox` and `api` clients) every section runs first.
EXAMPLES = {"ci": 1, "aliexpress": 2, "lamoda": 3, "faults": 4, "clock": 5}
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


@dataclass(frozen=True)
class Block:
    line: int  # where its code starts in the guide (1-based)
    code: str

    def compiled(self) -> CodeType:
        # Padded to its place in the file, so a failing assert is reported at its line of the guide.
        return compile("\n" * (self.line - 1) + self.code, str(GUIDE), "exec")


def sections() -> dict[int, tuple[str, list[Block]]]:
    """Each numbered `## N. Title` section of the guide with its Python blocks, in order."""
    text = GUIDE.read_text(encoding="utf-8")
    headings = [
        (m.start(), int(m.group(1)), m.group(2)) for m in re.finditer(r"^## (\d+)\. (.+)$", text, re.M)
    ]
    found: dict[int, tuple[str, list[Block]]] = {}
    for i, (start, number, title) in enumerate(headings):
        end = headings[i + 1][0] if i + 1 < len(headings) else len(text)
        blocks = [
            Block(text.count("\n", 0, m.start(1)) + 1, m.group(1))
            for m in PYTHON_BLOCK.finditer(text, start, end)
        ]
        found[number] = (title, blocks)
    return found


def example_blocks(name: str) -> list[Block]:
    """The preamble, then the blocks of the example's section."""
    found = sections()
    preamble, *ci = found[EXAMPLES["ci"]][1]
    own = ci if name == "ci" else found[EXAMPLES[name]][1]
    return [preamble, *own]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def guarded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A server whose sandbox needs the admin token, as a shared CI deployment would run it."""
    backend: str = request.param
    with (
        fresh_database(backend, tmp_path_factory.mktemp(f"guide-{backend}")) as url,
        running_server(url, backend, admin_token=ADMIN_TOKEN) as srv,
    ):
        yield srv


def test_the_guide_holds_every_example() -> None:
    found = sections()
    assert sorted(found) == [1, 2, 3, 4, 5, 6]
    for name, number in EXAMPLES.items():
        assert example_blocks(name)[1:], f"section {number} ({name}) has no Python block"
    assert "BASE = " in found[1][1][0].code and "sandbox = httpx.Client(" in found[1][1][0].code
    assert "](docs/guide.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_guide_example_runs(guarded: RunningServer, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKETBOX_URL", guarded.base_url)
    monkeypatch.setenv("MARKETBOX_ADMIN_TOKEN", ADMIN_TOKEN)
    namespace: dict[str, object] = {"__name__": f"guide_{name}"}
    try:
        for block in example_blocks(name):
            exec(block.compiled(), namespace)
    finally:
        for client in ("api", "sandbox"):
            close = getattr(namespace.get(client), "close", None)
            if close is not None:
                close()
