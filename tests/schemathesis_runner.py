"""The schemathesis command, run after parsing the sources of its modules at a shallow stack.

Hypothesis names a filter's lambda by parsing the source of the module it is written in. On CPython
3.11.7, an `ast.parse` of a large module (schemathesis' coverage phase) called deep inside its
generators fails with "SystemError: AST constructor recursion depth mismatch", a CPython bug fixed in
later releases; the run then reports a runtime error instead of a verdict. Parsed here first, on
the main thread's short stack, the sources are not parsed again. Arguments are those of `schemathesis`."""

from __future__ import annotations

import ast
import inspect
import sys
from typing import Any


def _parse_ahead() -> None:
    try:
        from hypothesis.internal import lambda_sources
    except ImportError:  # another Hypothesis: nothing to prepare
        return
    extract = getattr(lambda_sources, "extract_all_lambdas", None)
    if extract is None or not hasattr(lambda_sources, "AST_LAMBDAS_CACHE"):
        return
    import schemathesis.cli  # everything a run imports
    import schemathesis.specs.openapi.coverage._schema  # noqa: F401  (where the failing parse was)

    # Hypothesis keeps its cache per thread, and the run's workers are other threads: one plain dict,
    # filled here, serves them all (it only grows by the sources a run names lambdas from).
    parsed: dict[tuple[str, ...], Any] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(("schemathesis.", "hypothesis.")) or module is None:
            continue
        try:
            lines, _ = inspect.findsource(module)
        except (OSError, TypeError):
            continue
        if any("lambda" in line for line in lines):
            parsed[tuple(lines)] = extract(ast.parse("".join(lines)))
    lambda_sources.AST_LAMBDAS_CACHE = parsed  # type: ignore[assignment]


if __name__ == "__main__":
    _parse_ahead()
    from schemathesis.cli import schemathesis

    sys.argv[0] = "schemathesis"
    sys.exit(schemathesis())
