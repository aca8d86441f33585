"""Install planmap from its wheel into a fresh virtual environment outside the checkout, then build and serve.

What a user who runs ``pip install planmap-*.whl`` gets: the data must come from the wheel
(nothing is read from the checkout: the commands run in an empty temporary directory), the
default build directory must be the per-user data directory, and ``planmap serve`` must
answer a query with raw UTF-8 in it, as curl sends it. Exits non-zero on the first failure.

    python scripts/check_install.py            # what `make check-install` runs
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def step(message: str) -> None:
    print(f"check-install: {message}", flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"check-install: {' '.join(cmd[:3])} … failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raw_get(port: int, target: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 GET with the request target sent byte for byte (urllib would percent-encode it).

    The tests use it too (tests/webmap/test_http.py)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="planmap-install-") as tmp_name:
        tmp = Path(tmp_name)
        step("building the wheel")
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
             "-w", str(tmp / "dist"), str(ROOT)])
        wheel = next((tmp / "dist").glob("planmap-*.whl"))
        step(f"installing {wheel.name} and its dependencies into a fresh venv")
        venv.create(tmp / "venv", with_pip=True)
        bin_dir = tmp / "venv" / "bin"
        run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)])
        work = tmp / "work"
        work.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["XDG_DATA_HOME"] = str(tmp / "user-data")
        planmap = str(bin_dir / "planmap")

        step(run([planmap, "--version"], cwd=work, env=env).stdout.strip())
        step("planmap build (default source and build directory)")
        built = run([planmap, "build"], cwd=work, env=env, timeout=600)
        build_dir = tmp / "user-data" / "planmap" / "build"
        if not (build_dir / "places.geojson").is_file():
            sys.exit(f"check-install: no build in the per-user data directory {build_dir}:\n{built.stdout}")
        step(built.stdout.strip())

        port = free_port()
        step(f"planmap serve on port {port}")
        server = subprocess.Popen([planmap, "serve", "--port", str(port)], cwd=work, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    status, body = raw_get(port, "/api/features?industry=航空航天".encode())
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        sys.exit(f"check-install: the server did not answer:\n{server.communicate()[0]}")
                    time.sleep(0.2)
            names = [f["properties"]["name"] for f in json.loads(body)["features"]] if status == 200 else []
            if "镇江新区航空航天产业园" not in names:
                sys.exit(f"check-install: /api/features?industry=航空航天 answered {status}: {body[:300]!r}")
            step(f"served {len(names)} feature{'' if len(names) == 1 else 's'} for a raw UTF-8 query")
        finally:
            server.terminate()
            log = server.communicate(timeout=30)[0]
        if "out of date" in log or "building from" in log:
            sys.exit(f"check-install: serve rebuilt a current build:\n{log}")
    step("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
