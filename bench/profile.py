"""Where marketbox's CPU goes while wrk loads `logistic-order/get`: py-spy samples of the server.

    .venv/bin/python bench/run.py --keep            # once: fills marketbox_bench_1m and keeps it
    .venv/bin/python bench/profile.py [--label 1m] [--duration 10]

Starts marketbox (same uvicorn options as bench/run.py, response cache off unless --cache) on
`marketbox_bench_<label>`, loads it with
`wrk -t1 -c16` (the fixed page) and samples it with py-spy at the same time, then prints the share
of the server's samples spent in each part of the request path (inclusive) and the functions with
the most samples of their own. py-spy lives in its own virtualenv, `bench/.tools/` (git-ignored),
installed from PyPI on first use. The collapsed stacks are kept in bench/results/profile-<label>.txt
(load them into speedscope or flamegraph.pl for a picture).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import venv
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # bench/ is not a package: run.py is imported from beside this file
    BENCH,
    BIN,
    FIXED_BODY,
    HOST,
    PROCS,
    RESULTS,
    ROOT,
    UVICORN_OPTIONS,
    free_port,
    http,
    wait_for_quiet,
    wait_until,
)

TOOLS = BENCH / ".tools"
PY_SPY = TOOLS / "bin" / "py-spy"

# Parts of the request path: (label, regex over "function (file)" frames). Inclusive shares.
PARTS = (
    ("uvicorn + httptools (HTTP parsing, transport)", r"uvicorn/protocols/http/"),
    ("starlette (routing, middleware, Request, Response)", r"starlette/"),
    ("marketbox handler, total", r"\.handler \(.*aliexpress/routes\.py"),
    (
        "  token -> seller (TenantDirectory / auth query)",
        r"TenantDirectory\.aliexpress|authenticate_aliexpress",
    ),
    ("  find_logistic_orders (service), total", r"^find_logistic_orders "),
    ("    store page(): statement, SQL, rows", r"^page \(.*store/logistic_orders\.py"),
    ("      building the SELECT + its cache key", r"sql/(coercions|selectable|elements|cache_key)\.py"),
    ("      asyncpg (protocol, codecs)", r"asyncpg/"),
    ("      JSON columns decoded (dialect codec)", r"_json_decoder"),
    ("      SQLAlchemy result rows (type processors)", r"engine/result\.py|process_result_value"),
    (
        "      rows -> domain objects (_order, _line)",
        r"^_order \(.*store/logistic_orders|^_line \(.*store/logistic_orders",
    ),
    ("  mapping.logistic_order (domain -> wire)", r"^logistic_order \(.*mapping\.py"),
    ("  JSON encoding (msgspec)", r"^encode_json |^json_response "),
    (
        "uvloop/native code with no Python frame below (I/O, scheduling)",
        r"^Runner\.run \(asyncio/runners\.py\)$",
    ),
)


def ensure_py_spy() -> Path:
    if not PY_SPY.exists():
        print("installing py-spy into bench/.tools", flush=True)
        venv.create(TOOLS, with_pip=True)
        subprocess.run([str(TOOLS / "bin" / "pip"), "install", "--quiet", "py-spy"], check=True, timeout=600)
    return PY_SPY


def _frame_key(frame: str) -> str:
    # "handler (marketbox/dialects/aliexpress/routes.py:57)" -> without the line number
    return re.sub(r":\d+\)$", ")", frame.strip())


def summarize(raw: Path) -> dict[str, object]:
    total = 0
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_key(f) for f in stack.split(";")]
        total += count
        for label, pattern in PARTS:
            if label.startswith("uvloop/native"):
                if re.search(pattern, frames[-1]):
                    inclusive[label] += count
            elif any(re.search(pattern, f) for f in frames):
                inclusive[label] += count
        own[frames[-1]] += count
    return {
        "samples": total,
        "parts": {label: inclusive[label] / total if total else 0.0 for label, _ in PARTS},
        "top_self": [(f, n / total) for f, n in own.most_common(25)] if total else [],
    }


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--label", default="1m", help="database marketbox_bench_<label> (kept by run.py --keep)")
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    p.add_argument("--cache", action="store_true", help="leave the response cache on (default: off)")
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    args = p.parse_args()
    if args.duration > 60:
        p.error("--duration <= 60")
    info = json.loads((RESULTS / f"marketbox_bench_{args.label}.json").read_text())
    py_spy = ensure_py_spy()
    port = free_port()
    proc = PROCS.start(
        f"profile-{args.label}",
        [str(BIN / "uvicorn"), "marketbox.asgi:app", "--port", str(port), *UVICORN_OPTIONS],
        {
            "MARKETBOX_DATABASE_URL": f"{args.pg}/marketbox_bench_{args.label}",
            # The page path, not the response cache (--cache profiles the default settings).
            "MARKETBOX_RESPONSE_CACHE_ENTRIES": "4096" if args.cache else "0",
        },
    )
    raw = RESULTS / f"profile-{args.label}.txt"
    try:
        base = f"http://{HOST}:{port}"
        wait_until(lambda: http("GET", base + "/healthz")[0] == 200, proc, "marketbox")
        env = {**os.environ, "BENCH_TOKEN": info["token"], "BENCH_BODY": json.dumps(FIXED_BODY)}
        wrk = ["wrk", "-t1", "-c16", "--latency", "-s", str(BENCH / "wrk" / "post.lua"), base]
        subprocess.run([*wrk[:3], "-d3s", *wrk[3:]], env=env, capture_output=True, check=True, timeout=60)
        wait_for_quiet(120)
        load = subprocess.Popen(
            [*wrk[:3], f"-d{args.duration + 2:g}s", *wrk[3:]], env=env, stdout=subprocess.PIPE, text=True
        )
        time.sleep(1)
        subprocess.run(
            [str(py_spy), "record", "--pid", str(proc.pid), "--duration", f"{args.duration:g}",
             "--rate", str(args.rate), "--format", "raw", "--output", str(raw), "--nonblocking"],
            check=True, timeout=args.duration + 60, capture_output=True,
        )  # fmt: skip
        out, _ = load.communicate(timeout=args.duration + 60)
        match = re.search(r"^BENCH_RESULT (\{.*\})$", out, re.M)
        if match:
            r = json.loads(match.group(1))
            rps = r["requests"] / (r["duration_us"] / 1e6)
            print(
                f"under py-spy: {rps:,.0f} req/s, p50 {r['p50_us'] / 1000:.2f} ms (sampling costs a little)"
            )
    finally:
        PROCS.stop(proc)
    summary = summarize(raw)
    print(f"\n{summary['samples']} samples of marketbox@{args.label} (non-idle), inclusive share:")
    for label, share in summary["parts"].items():  # type: ignore[attr-defined]
        print(f"  {share:6.1%}  {label}")
    print("\nmost samples of their own (leaf functions):")
    for frame, share in summary["top_self"]:  # type: ignore[attr-defined]
        print(f"  {share:6.1%}  {frame}")
    (RESULTS / f"profile-{args.label}.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\ncollapsed stacks: {raw.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
