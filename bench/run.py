"""One command: marketbox's `logistic-order/get` at 10k and 1M orders vs Prism and a bare ASGI endpoint.

    .venv/bin/python bench/run.py            # fill both databases, measure, drop them
    .venv/bin/python bench/run.py --keep     # ... and keep the databases
    .venv/bin/python bench/run.py --reuse --keep   # measure again on the kept databases

In one run, in sequence (one server at a time, everything on 127.0.0.1):

1. fills `marketbox_bench_10k` and `marketbox_bench_1m` with `bench/fill.py` (or reuses them);
2. marketbox (uvicorn, 1 worker, uvloop, httptools, no access log) on each database: checks the
   page answers 200 with 50 orders, warms up, then `wrk -t1 -c16 -d10s --latency` with
   - the fixed page (page 1, page_size 50, filter_status AWAITING_ADDING_TO_HANDOVER, gmt_create
     DESC), default settings: marketbox's response cache answers repeated reads;
   then again with the response cache off (MARKETBOX_RESPONSE_CACHE_ENTRIES=0: every request runs
   the page query):
   - the fixed page,
   - the varied page (random page 1..20 and random filter among ALL/DELIVERED/DELIVERING/
     AWAITING_ADDING_TO_HANDOVER),
   - the fixed page on one connection (latency of a page without queueing);
3. the bare ASGI app (`bench/bare_app.py`, same uvicorn options) answering the captured 1M page
   as constant bytes: the limit of this server stack on this machine;
4. Stoplight Prism 5.14.2 (`prism mock`) on marketbox's own `/openapi.json`, default settings and
   with `-v warn` (less logging); the faster of the two is the one the target is checked against;
5. prints the table, the three target ratios with PASS/FAIL, and writes everything as JSON
   (`bench/results/run-*.json`).

CPU columns: CPU seconds per wall second used during the run by the server's processes, by all
PostgreSQL processes, by wrk, and by the rest of the machine (other processes, softirq) - 2.00 = both
cores. The machine may be shared: before each measurement the run waits (at most --quiet-wait s)
until other work leaves the cores idle, and "CPU rest" shows whether it came back during the run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
NODE_DIR = BENCH / ".node"
PRISM = NODE_DIR / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PATH = "/seller-api/v1/logistic-order/get"
FIXED_BODY = {
    "page": 1,
    "page_size": 50,
    "filter_status": "AWAITING_ADDING_TO_HANDOVER",
    "sort_params": {"order_sort_type": "GMT_CREATE", "query_sort": "DESC"},
}
VARIED_STATUSES = "ALL,DELIVERED,DELIVERING,AWAITING_ADDING_TO_HANDOVER"
UVICORN_OPTIONS = [
    "--host", HOST, "--workers", "1", "--loop", "uvloop", "--http", "httptools",
    "--no-access-log", "--log-level", "warning",
]  # fmt: skip
TARGET_PRISM = 3.0
TARGET_BARE = 0.30
TARGET_LATENCY = 1.5


# --- processes -------------------------------------------------------------------------------------
class Processes:
    """Servers this run started, each in its own session so that its whole process group can be ended."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def start(
        self, name: str, argv: Sequence[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = (RESULTS / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            list(argv),
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.running.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc in self.running:
            self.running.remove(proc)
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        # Children left in the group (node workers) go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for proc in list(self.running):
            self.stop(proc)


PROCS = Processes()


def _on_signal(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy


def http(method: str, url: str, body: bytes | None = None, token: str | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["x-auth-token"] = token
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until(check: Any, proc: subprocess.Popen[bytes], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}; see bench/results/*.log")
        with contextlib.suppress(OSError):
            if check():
                return
        time.sleep(0.25)
    raise RuntimeError(f"{what} not ready after {timeout:.0f} s")


# --- CPU accounting --------------------------------------------------------------------------------
TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[str, int, float] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state): session is field 6, utime 14, stime 15 (and the children's 16, 17).
    session = int(fields[3])
    cpu = sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICK
    return comm, session, cpu


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def wait_for_quiet(max_wait: float, threshold: float = 0.15) -> float:
    """Wait (at most `max_wait` s) until other work leaves the machine idle; returns the busy share seen.

    The machine is shared: someone's test suite eats the cores and every figure with them.
    """
    deadline = time.monotonic() + max_wait
    warned = False
    while True:
        busy0, total0 = machine_busy()
        time.sleep(1.0)
        busy1, total1 = machine_busy()
        share = (busy1 - busy0) / max(total1 - total0, 1e-9)
        if share < threshold or time.monotonic() >= deadline:
            if share >= threshold:
                print(f"  machine still {share:.0%} busy with other work: measuring anyway", flush=True)
            return share
        if not warned:
            print(
                f"  machine {share:.0%} busy with other work: waiting (at most {max_wait:.0f} s)", flush=True
            )
            warned = True


def cpu_snapshot(session: int) -> dict[str, float]:
    server = postgres = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        st = _stat(pid)
        if st is None:
            continue
        comm, sid, cpu = st
        if sid == session:
            server += cpu
        elif comm == "postgres":
            postgres += cpu
    return {"server": server, "postgres": postgres}


# --- wrk -------------------------------------------------------------------------------------------
@dataclass
class Result:
    target: str
    scenario: str
    connections: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    bytes_per_response: float
    cpu_server: float = 0.0
    cpu_postgres: float = 0.0
    cpu_wrk: float = 0.0
    cpu_rest: float = 0.0  # the rest of the machine's busy time: other processes, softirq
    busy_before: float = 0.0  # busy share of the machine just before the run (0 = idle)
    raw: dict[str, Any] = field(default_factory=dict)


def wrk(
    target: str,
    scenario: str,
    url: str,
    script: str,
    env: dict[str, str],
    *,
    duration: float,
    connections: int,
    threads: int,
    session: int,
) -> Result:
    argv = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--latency", "--timeout", "10s",
        "-s", str(BENCH / "wrk" / script), url,
    ]  # fmt: skip
    before = cpu_snapshot(session)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine_before, _ = machine_busy()
    started = time.monotonic()
    done = subprocess.run(
        argv, env={**os.environ, **env}, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    wall = time.monotonic() - started
    machine_after, _ = machine_busy()
    after = cpu_snapshot(session)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    match = re.search(r"^BENCH_RESULT (\{.*\})$", done.stdout, re.M)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(match.group(1))
    raw["wrk_stdout"] = done.stdout
    errors = sum(raw[k] for k in raw if k.startswith("errors_"))
    requests = raw["requests"]
    wrk_cpu = (children_after.ru_utime + children_after.ru_stime) - (children.ru_utime + children.ru_stime)
    accounted = after["server"] - before["server"] + after["postgres"] - before["postgres"] + wrk_cpu
    return Result(
        target=target,
        scenario=scenario,
        connections=connections,
        rps=requests / (raw["duration_us"] / 1e6),
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        requests=requests,
        errors=errors,
        bytes_per_response=raw["bytes"] / requests if requests else 0.0,
        cpu_server=(after["server"] - before["server"]) / wall,
        cpu_postgres=(after["postgres"] - before["postgres"]) / wall,
        cpu_wrk=wrk_cpu / wall,
        cpu_rest=max(0.0, (machine_after - machine_before - accounted) / wall),
        raw=raw,
    )


# --- databases -------------------------------------------------------------------------------------
def db_url(args: argparse.Namespace, name: str) -> str:
    return f"{args.pg.rstrip('/')}/{name}"


async def _admin(args: argparse.Namespace, sql: str, *params: Any) -> Any:
    import asyncpg

    conn = await asyncpg.connect(db_url(args, "postgres"))
    try:
        return await conn.fetch(sql, *params)
    finally:
        await conn.close()


def database_exists(args: argparse.Namespace, name: str) -> bool:
    return bool(asyncio.run(_admin(args, "SELECT 1 FROM pg_database WHERE datname = $1", name)))


async def _loaded(url: str, token: str) -> int | None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        row = await conn.fetchrow(
            "SELECT s.id, (SELECT count(*) FROM logistic_orders lo WHERE lo.seller_id = s.id) AS n "
            "FROM sellers s WHERE s.aliexpress_token = $1",
            token,
        )
        return None if row is None else int(row["n"])
    finally:
        await conn.close()


def ensure_database(args: argparse.Namespace, label: str, count: int, anchor: str) -> dict[str, Any]:
    name = f"marketbox_bench_{label}"
    url = db_url(args, name)
    info_file = RESULTS / f"{name}.json"
    if args.reuse and info_file.exists() and database_exists(args, name):
        info: dict[str, Any] = json.loads(info_file.read_text())
        if info.get("count") == count and asyncio.run(_loaded(url, info["token"])) == count:
            print(f"reusing {name} ({count:,} logistic orders, seller {info['seller_id']})", flush=True)
            return info
        print(f"{name} does not hold the expected data: filling it again", flush=True)
    print(f"filling {name} with {count:,} logistic orders", flush=True)
    argv = [
        sys.executable, str(BENCH / "fill.py"), url, "--count", str(count), "--seed", str(args.seed),
        "--anchor", anchor, "--fresh", "--token-file", str(info_file),
    ]  # fmt: skip
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=1800)
    loaded: dict[str, Any] = json.loads(info_file.read_text())
    return loaded


def drop_databases(args: argparse.Namespace, names: Sequence[str]) -> None:
    for name in names:
        asyncio.run(_admin(args, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        with contextlib.suppress(FileNotFoundError):
            (RESULTS / f"{name}.json").unlink()
        print(f"dropped {name}", flush=True)


# --- tools -----------------------------------------------------------------------------------------
def ensure_tools(args: argparse.Namespace) -> None:
    if shutil.which("wrk") is None:
        if os.geteuid() != 0:
            raise SystemExit("wrk is missing: apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, timeout=600)
    if not args.skip_prism and not PRISM.exists():
        if shutil.which("npm") is None:
            raise SystemExit("npm is missing (needed for Prism): apt-get install -y npm, or --skip-prism")
        NODE_DIR.mkdir(exist_ok=True)
        print(f"installing {PRISM_PACKAGE} into {NODE_DIR.relative_to(ROOT)}", flush=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), PRISM_PACKAGE],
            check=True,
            timeout=900,
        )


def _version(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "missing"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"


def environment(args: argparse.Namespace) -> dict[str, Any]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    packages = [
        "marketbox",
        "starlette",
        "uvicorn",
        "uvloop",
        "httptools",
        "msgspec",
        "sqlalchemy",
        "asyncpg",
    ]
    pg = asyncio.run(_admin(args, "SELECT version() AS v"))[0]["v"]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": {p: _safe_version(p) for p in packages},
        "postgresql": pg,
        "wrk": _version(["wrk", "-v"]),
        "node": _version(["node", "--version"]),
        "prism": "skipped" if args.skip_prism else _version([str(PRISM), "--version"]),
    }


def _safe_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


# --- the run ---------------------------------------------------------------------------------------
@dataclass
class Run:
    args: argparse.Namespace
    results: list[Result] = field(default_factory=list)

    def measure(
        self,
        target: str,
        scenario: str,
        port: int,
        script: str,
        env: dict[str, str],
        session: int,
        *,
        connections: int | None = None,
        duration: float | None = None,
    ) -> Result:
        a = self.args
        busy = wait_for_quiet(a.quiet_wait)
        result = wrk(
            target,
            scenario,
            f"http://{HOST}:{port}",
            script,
            env,
            duration=duration or a.duration,
            connections=connections or a.connections,
            threads=a.threads,
            session=session,
        )
        result.busy_before = busy
        self.results.append(result)
        print(
            f"  {target:<16} {scenario:<14} c={result.connections:<3} {result.rps:>9,.0f} req/s  "
            f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  errors {result.errors}  "
            f"cpu server {result.cpu_server:.2f} pg {result.cpu_postgres:.2f} wrk {result.cpu_wrk:.2f} "
            f"rest {result.cpu_rest:.2f}",
            flush=True,
        )
        return result

    def warm(self, port: int, script: str, env: dict[str, str]) -> None:
        if self.args.warmup > 0:
            wrk("warmup", "", f"http://{HOST}:{port}", script, env, duration=self.args.warmup,
                connections=self.args.connections, threads=self.args.threads, session=-1)  # fmt: skip

    def marketbox(self, label: str, info: dict[str, Any], *, cached: bool) -> None:
        """With `cached` the default settings (repeated reads come from the response cache); without,
        the cache is off and every request runs the page query."""
        port = free_port()
        url = db_url(self.args, f"marketbox_bench_{label}")
        env = {"MARKETBOX_DATABASE_URL": url}
        if not cached:
            env["MARKETBOX_RESPONSE_CACHE_ENTRIES"] = "0"
        name = f"marketbox@{label}" + ("" if cached else " no cache")
        proc = PROCS.start(
            name.replace("@", "-").replace(" ", "-"),
            [str(BIN / "uvicorn"), "marketbox.asgi:app", "--port", str(port), *UVICORN_OPTIONS],
            env,
        )
        try:
            base = f"http://{HOST}:{port}"
            wait_until(lambda: http("GET", base + "/healthz")[0] == 200, proc, name)
            status, body = http("POST", base + PATH, json.dumps(FIXED_BODY).encode(), info["token"])
            page = json.loads(body)
            orders = (page.get("data") or {}).get("logistic_orders") or []
            if status != 200 or len(orders) != FIXED_BODY["page_size"]:
                raise RuntimeError(f"{name}: {status}, {len(orders)} orders: {body[:300]!r}")
            (RESULTS / f"page-{label}.json").write_bytes(body)
            status, spec = http("GET", base + "/openapi.json")
            if status != 200:
                raise RuntimeError(f"{name}: /openapi.json answered {status}")
            (RESULTS / "openapi.json").write_bytes(spec)
            fixed = {"BENCH_TOKEN": info["token"], "BENCH_BODY": json.dumps(FIXED_BODY)}
            varied = {"BENCH_TOKEN": info["token"], "BENCH_STATUSES": VARIED_STATUSES, "BENCH_PAGES": "20"}
            self.warm(port, "post.lua", fixed)
            self.measure(name, "fixed page", port, "post.lua", fixed, proc.pid)
            if cached:
                return
            self.warm(port, "varied.lua", varied)
            self.measure(name, "varied page", port, "varied.lua", varied, proc.pid)
            self.measure(name, "fixed page", port, "post.lua", fixed, proc.pid, connections=1,
                         duration=self.args.latency_duration)  # fmt: skip
        finally:
            PROCS.stop(proc)

    def bare(self) -> None:
        port = free_port()
        body_file = RESULTS / "page-1m.json"
        proc = PROCS.start(
            "bare",
            [
                str(BIN / "uvicorn"),
                "--app-dir",
                str(BENCH),
                "bare_app:app",
                "--port",
                str(port),
                *UVICORN_OPTIONS,
            ],
            {"BENCH_BODY_FILE": str(body_file)},
        )
        try:
            base = f"http://{HOST}:{port}"
            wait_until(lambda: http("POST", base + PATH, b"{}")[0] == 200, proc, "bare app")
            status, body = http("POST", base + PATH, json.dumps(FIXED_BODY).encode())
            if status != 200 or body != body_file.read_bytes():
                raise RuntimeError("bare app does not answer the captured page")
            env = {"BENCH_BODY": json.dumps(FIXED_BODY)}
            self.warm(port, "post.lua", env)
            self.measure("bare ASGI", "constant page", port, "post.lua", env, proc.pid)
        finally:
            PROCS.stop(proc)

    def prism(self, label: str, extra: Sequence[str]) -> None:
        port = free_port()
        spec = RESULTS / "openapi.json"
        proc = PROCS.start(
            label.replace(" ", "-"), [str(PRISM), "mock", "-h", HOST, "-p", str(port), *extra, str(spec)]
        )
        try:
            base = f"http://{HOST}:{port}"
            body = json.dumps(FIXED_BODY).encode()
            wait_until(lambda: http("POST", base + PATH, body, "any-token")[0] > 0, proc, label, timeout=120)
            status, answer = http("POST", base + PATH, body, "any-token")
            data = json.loads(answer).get("data") if status == 200 else None
            if status != 200 or not isinstance(data, dict) or "logistic_orders" not in data:
                raise RuntimeError(f"{label} does not mock {PATH}: {status} {answer[:300]!r}")
            (RESULTS / "page-prism.json").write_bytes(answer)
            env = {"BENCH_TOKEN": "any-token", "BENCH_BODY": json.dumps(FIXED_BODY)}
            self.warm(port, "post.lua", env)
            self.measure(label, "static mock", port, "post.lua", env, proc.pid)
        finally:
            PROCS.stop(proc)


def pick(results: Sequence[Result], target: str, scenario: str, connections: int) -> Result | None:
    for r in results:
        if r.target == target and r.scenario == scenario and r.connections == connections:
            return r
    return None


def verdicts(run: Run) -> list[dict[str, Any]]:
    c = run.args.connections
    rs = run.results
    bare = pick(rs, "bare ASGI", "constant page", c)
    prisms = [r for r in rs if r.target.startswith("Prism")]
    prism = max(prisms, key=lambda r: r.rps) if prisms else None
    out: list[dict[str, Any]] = []

    def add(name: str, value: float | None, target: float, higher: bool, detail: str) -> None:
        ok = value is not None and (value >= target if higher else value < target)
        out.append({"target": name, "value": value, "goal": (">= " if higher else "< ") + f"{target:g}",
                    "pass": ok, "detail": detail})  # fmt: skip

    for suffix, mode in (("", "response cache on (default)"), (" no cache", "response cache off")):
        mb1m = pick(rs, f"marketbox@1m{suffix}", "fixed page", c)
        mb10k = pick(rs, f"marketbox@10k{suffix}", "fixed page", c)
        if mb1m and prism:
            add(f"1M req/s / Prism req/s [{mode}]", mb1m.rps / prism.rps, TARGET_PRISM, True,
                f"{mb1m.rps:,.0f} / {prism.rps:,.0f} ({prism.target})")  # fmt: skip
        if mb1m and bare:
            add(f"1M req/s / bare req/s [{mode}]", mb1m.rps / bare.rps, TARGET_BARE, True,
                f"{mb1m.rps:,.0f} / {bare.rps:,.0f}")  # fmt: skip
        if mb1m and mb10k:
            add(f"p50 1M / p50 10k, {c} conns [{mode}]", mb1m.p50_ms / mb10k.p50_ms, TARGET_LATENCY, False,
                f"{mb1m.p50_ms:.2f} ms / {mb10k.p50_ms:.2f} ms")  # fmt: skip
    mb1m_1 = pick(rs, "marketbox@1m no cache", "fixed page", 1)
    mb10k_1 = pick(rs, "marketbox@10k no cache", "fixed page", 1)
    if mb1m_1 and mb10k_1:
        add("p50 1M / p50 10k, 1 conn [response cache off]", mb1m_1.p50_ms / mb10k_1.p50_ms, TARGET_LATENCY,
            False, f"{mb1m_1.p50_ms:.2f} ms / {mb10k_1.p50_ms:.2f} ms")  # fmt: skip
    return out


def markdown(run: Run, checks: list[dict[str, Any]]) -> str:
    lines = [
        "| target | scenario | conns | req/s | p50 ms | p99 ms | errors | bytes/resp "
        "| CPU server | CPU pg | CPU wrk | CPU rest |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in run.results:
        lines.append(
            f"| {r.target} | {r.scenario} | {r.connections} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} "
            f"| {r.errors} | {r.bytes_per_response:,.0f} | {r.cpu_server:.2f} | {r.cpu_postgres:.2f} "
            f"| {r.cpu_wrk:.2f} | {r.cpu_rest:.2f} |"
        )
    lines += ["", "| target | measured | goal | verdict | figures |", "|---|--:|---|---|---|"]
    for v in checks:
        value = "n/a" if v["value"] is None else f"{v['value']:.2f}"
        verdict = "PASS" if v["pass"] else "FAIL"
        lines.append(f"| {v['target']} | {value} | {v['goal']} | **{verdict}** | {v['detail']} |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432", help="server URL, no database")
    p.add_argument("--small", type=int, default=10_000, help="orders in the small database (10k)")
    p.add_argument("--large", type=int, default=1_000_000, help="orders in the large database (1M)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--reuse", action="store_true", help="reuse databases a previous --keep run left")
    p.add_argument("--keep", action="store_true", help="keep the databases at the end")
    p.add_argument("--duration", type=float, default=10, help="seconds per wrk run (default 10)")
    p.add_argument("--latency-duration", type=float, default=5, help="seconds of the 1-connection run")
    p.add_argument("--warmup", type=float, default=3, help="seconds of warm-up before each target")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument(
        "--quiet-wait",
        type=float,
        default=180,
        help="max seconds to wait for other work to stop (shared box)",
    )
    p.add_argument("--skip-prism", action="store_true")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = p.parse_args(argv)
    pg_host = urllib.parse.urlsplit(args.pg).hostname or ""
    if not (pg_host.startswith("127.") or pg_host in ("localhost", "::1")):
        p.error("the database must be on loopback (127.0.0.1)")
    if args.duration > 120 or args.warmup > 60 or args.latency_duration > 120:
        p.error("keep runs short: --duration/--latency-duration <= 120, --warmup <= 60")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    RESULTS.mkdir(exist_ok=True)
    ensure_tools(args)
    env = environment(args)
    print(f"{env['nproc']} x {env['cpu']}, PostgreSQL: {env['postgresql'][:40]}..., {env['wrk']}", flush=True)
    run = Run(args)
    anchor = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0).isoformat()
    sizes = {"10k": args.small, "1m": args.large}
    names = [f"marketbox_bench_{label}" for label in sizes]
    fills: dict[str, Any] = {}
    started = time.monotonic()
    try:
        for label, count in sizes.items():
            fills[label] = ensure_database(args, label, count, anchor)
        for label in sizes:
            print(f"marketbox@{label}", flush=True)
            run.marketbox(label, fills[label], cached=True)
            run.marketbox(label, fills[label], cached=False)
        print("bare ASGI", flush=True)
        run.bare()
        if not args.skip_prism:
            print("Prism", flush=True)
            run.prism("Prism", [])
            run.prism("Prism -v warn", ["-v", "warn"])
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        PROCS.stop_all()
        if not args.keep:
            drop_databases(args, names)
    checks = verdicts(run)
    table = markdown(run, checks)
    print()
    print(table)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"run-{stamp}.json"
    payload = {
        "environment": env,
        "command": " ".join(
            [".venv/bin/python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])]
        ),
        "settings": {k: v for k, v in vars(args).items()},
        "fills": {k: {x: y for x, y in v.items() if x != "token"} for k, v in fills.items()},
        "results": [asdict(r) for r in run.results],
        "targets": checks,
        "markdown": table,
        "seconds": round(time.monotonic() - started, 1),
    }
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 1 if args.strict and not all(c["pass"] for c in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
