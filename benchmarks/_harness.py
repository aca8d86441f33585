"""Shared by the server benchmarks: a build in a temporary directory, the real server as a
subprocess on a free loopback port, its memory and CPU from /proc, and a small HTTP/1.1
keep-alive load client.

Not a benchmark itself (no ``main``), so ``run_all.py`` skips it.

The client is asyncio on raw streams rather than ``http.client`` in threads: on a 2-core
machine the load generator shares the CPU with the server, and one event loop parsing a
status line and ``Content-Length`` costs far less than 100 threads fighting over the GIL.
Every load phase is bounded twice, by a deadline and by a request count, and every request
by a timeout, so a run always ends by itself.
"""
from __future__ import annotations

import asyncio
import atexit
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only, always
_TICK = os.sysconf("SC_CLK_TCK")
_BUILD: Path | None = None


# ---------------------------------------------------------------- build and server


def shared_build(build_dir: Path | None = None) -> Path:
    """``build_dir`` if given, else one fresh ``planmap build`` per process in a temporary directory."""
    global _BUILD
    if build_dir is not None:
        return build_dir
    if _BUILD is None:
        tmp = Path(tempfile.mkdtemp(prefix="planmap-bench-serve-"))
        atexit.register(shutil.rmtree, tmp, True)
        out = tmp / "build"
        cmd = [sys.executable, "-m", "webmap.cli", "build", "--out", str(out)]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr}")
        _BUILD = out
    return _BUILD


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """``python -m webmap.cli serve`` (waitress, the production path) on a free loopback port.

    Its access log (one line per request, on stderr) goes to a temporary file, as it would
    to a journal: a pipe nobody reads would block the server.
    """

    def __init__(self, build_dir: Path, threads: int | None = None, workers: int | None = None) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.cmd = [sys.executable, "-m", "webmap.cli", "serve", "--host", HOST, "--port", str(self.port),
                    "--build-dir", str(build_dir)]
        if threads is not None:
            self.cmd += ["--threads", str(threads)]
        if workers is not None:
            self.cmd += ["--workers", str(workers)]
        self.log = tempfile.NamedTemporaryFile(prefix="planmap-bench-serve-", suffix=".log", delete=False)
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                message = f"server exited {self.proc.returncode}:\n{self.log_tail()}"
                self.__exit__()
                raise RuntimeError(message)
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        message = f"server not ready on {self.url} within 120 s:\n{self.log_tail()}"
        self.__exit__()
        raise RuntimeError(message)

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()
        os.unlink(self.log.name)

    def log_tail(self, lines: int = 20) -> str:
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def log_warnings(self) -> list[str]:
        """Server log lines that are not the access log or start-up chatter: waitress warnings, tracebacks.

        waitress logs "Task queue depth is N" whenever requests wait for a thread; those are
        folded into one line with their count and the deepest queue.
        """
        self.log.flush()
        lines, depths = [], []
        for ln in Path(self.log.name).read_text(errors="replace").splitlines():
            if " planmap.access " in ln or ln.startswith("planmap: ") or " Serving on " in ln:
                continue
            if "Task queue depth is " in ln:
                depths.append(int(ln.rsplit(" ", 1)[1]))
                continue
            lines.append(ln)
        if depths:
            lines.append(f"waitress 'Task queue depth' warnings: {len(depths)}, deepest queue {max(depths)}")
        return lines

    def pids(self) -> list[int]:
        """The server process and its descendants (gunicorn's workers with ``--workers``)."""
        found, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                todo.extend(int(c) for c in task.read_text().split())
        return found

    def status(self, key: str) -> float:
        """A /proc/PID/status memory figure (VmRSS, VmHWM) in MiB, summed over the server's processes."""
        total = 0.0
        for pid in self.pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    total += int(line.split()[1]) / 1024
        return total

    def rss_mib(self) -> float:
        return self.status("VmRSS")

    def cpu_s(self) -> float:
        """User + system CPU seconds of the server's processes so far."""
        total = 0
        for pid in self.pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
        return total / _TICK

    def threads(self) -> int:
        return sum(len(os.listdir(f"/proc/{pid}/task")) for pid in self.pids())


# ---------------------------------------------------------------- load client


@dataclass
class Sample:
    label: str
    seconds: float
    ok: bool
    nbytes: int
    at: float  # perf_counter() when the response ended


@dataclass
class Phase:
    """What one load phase measured."""

    clients: int
    wall_s: float
    samples: list[Sample] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0

    def error_count(self) -> int:
        return sum(self.errors.values())

    def latencies(self, pred: Callable[[str], bool] = lambda _: True) -> list[float]:
        return sorted(s.seconds for s in self.samples if s.ok and pred(s.label))

    def throughput(self) -> float:
        return sum(1 for s in self.samples if s.ok) / self.wall_s


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); NaN for no values."""
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


class _Reset(Exception):
    """The server closed the connection or broke the protocol."""


async def _response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """(status, body bytes, keep-alive) of one HTTP/1.1 response; the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise _Reset(f"bad status line {lines[0][:60]!r}")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    keep = headers.get("connection", "").lower() != "close"
    if "content-length" in headers:
        n = int(headers["content-length"])
        await reader.readexactly(n)
        return status, n, keep
    if headers.get("transfer-encoding", "").lower() == "chunked":
        n = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            n += size
            if size == 0:
                return status, n, keep
    body = await reader.read()  # delimited by close
    return status, len(body), False


async def _client(port: int, pick: Callable[[], tuple[str, str]], deadline: float, budget: list[int],
                  timeout: float, think: tuple[float, float], rng: random.Random, phase: Phase) -> None:
    reader = writer = None
    try:
        try:  # connect before the first timed request: the latencies are of requests, not TCP handshakes
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
        except (OSError, asyncio.TimeoutError) as exc:
            name = "connect " + ("timeout" if isinstance(exc, asyncio.TimeoutError) else type(exc).__name__)
            phase.errors[name] = phase.errors.get(name, 0) + 1
        if think[1] > 0:  # paced users arrive spread over one think time, not all in the first millisecond
            await asyncio.sleep(rng.uniform(0, think[1]))
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            label, path = pick()
            request = (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept-Encoding: identity\r\n"
                       "User-Agent: planmap-bench\r\n\r\n").encode()
            began = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
                writer.write(request)
                status, nbytes, keep = await asyncio.wait_for(_response(reader), timeout)
                ok = 200 <= status < 300
                if not ok:
                    phase.errors[f"HTTP {status}"] = phase.errors.get(f"HTTP {status}", 0) + 1
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                    _Reset, ValueError) as exc:
                name = "timeout" if isinstance(exc, asyncio.TimeoutError) else type(exc).__name__
                phase.errors[name] = phase.errors.get(name, 0) + 1
                ok, nbytes, keep = False, 0, False
            ended = time.perf_counter()
            phase.samples.append(Sample(label, ended - began, ok, nbytes, ended))
            if not keep and writer is not None:
                writer.close()
                reader = writer = None
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))
    finally:
        if writer is not None:
            writer.close()


def run_phase(server: Server, clients: int, seconds: float, pick_factory: Callable[[random.Random], Callable],
              *, max_requests: int = 2_000_000, timeout: float = 10.0, think_ms: tuple[float, float] = (0, 0),
              seed: int = 1, monitor: Callable[[Phase], None] | None = None, every: float = 5.0) -> Phase:
    """``clients`` keep-alive connections, each sending its next request when the last one is answered
    (after a think time drawn from ``think_ms``), until ``seconds`` pass or ``max_requests`` are sent.

    Requests still in flight at the deadline finish (or time out after ``timeout``) and count.
    ``monitor(phase)`` is called every ``every`` seconds meanwhile (the soak reads the server's RSS).
    """
    phase = Phase(clients=clients, wall_s=0.0)
    think = (think_ms[0] / 1000, think_ms[1] / 1000)

    async def main() -> None:
        deadline = time.perf_counter() + seconds
        budget = [max_requests]
        tasks = []
        for i in range(clients):
            rng = random.Random(seed * 10_007 + i)
            tasks.append(asyncio.create_task(
                _client(server.port, pick_factory(rng), deadline, budget, timeout, think, rng, phase)))
        watcher = None
        if monitor is not None:
            async def watch() -> None:
                while True:
                    await asyncio.sleep(every)
                    monitor(phase)
            watcher = asyncio.create_task(watch())
        await asyncio.wait(tasks, timeout=seconds + timeout + think[1] + 5)
        if watcher is not None:
            watcher.cancel()
        for t in tasks:  # cannot happen with the bounds above; belt and braces
            t.cancel()

    cpu0, own0, t0 = server.cpu_s(), time.process_time(), time.perf_counter()
    asyncio.run(main())
    phase.wall_s = time.perf_counter() - t0
    phase.server_cpu_s = server.cpu_s() - cpu0
    phase.client_cpu_s = time.process_time() - own0
    return phase


def weighted(paths: list[tuple[str, str, float]]) -> Callable[[random.Random], Callable[[], tuple[str, str]]]:
    """A pick factory: each client draws (label, path) by weight from its own seeded generator."""
    population = [(label, path) for label, path, _ in paths]
    weights = [w for _, _, w in paths]

    def factory(rng: random.Random) -> Callable[[], tuple[str, str]]:
        return lambda: rng.choices(population, weights)[0]

    return factory


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def machine() -> str:
    import platform

    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
