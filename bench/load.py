"""Benchmark 4: the API under load. gunicorn (3 sync workers, production settings) on 127.0.0.1
and Debian's `wrk`
with 25 connections for a bounded time per endpoint; requests only ever go to loopback."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from cases.models import Case

from .timing import Result

HOST = "127.0.0.1"
CONNECTIONS = 25
INBOX_PATH = "/api/advice-requests/?outstanding=true"
WORKERS = 3

LUA = """
wrk.headers["Authorization"] = "Token {token}"
local paths = {{{paths}}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, token: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310 - loopback only
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310  # nosec B310
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer on {url}")


def _wrk(base: str, paths: list[str], token: str, seconds: int, clients: int) -> dict:
    script = LUA.format(token=token, paths=", ".join(f'"{p}"' for p in paths))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, loopback URL
            [shutil.which("wrk"), f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s"]
            + ["--timeout", "10s"]
            + ["-s", handle.name, base + paths[0]],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(handle.name)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, socket_errors, status_errors, p50, p95, p99 = map(int, line.split()[1:])
    return {
        "requests": requests,
        "errors": socket_errors + status_errors,
        "p50": p50 / 1e6,
        "p95": p95 / 1e6,
        "p99": p99 / 1e6,
        "seconds": seconds,
    }


def bench_api(*, seconds: int) -> list[Result]:
    if shutil.which("wrk") is None:
        skipped = Result("4 API under load", [], "p95 < 150/100 ms", given={"p50": 0, "p95": 0})
        skipped.note = "NOT RUN: needs Debian's wrk (apt-get install -y wrk)"
        return [skipped]
    user = get_user_model().objects.get(username="bench.caseworker.001")
    token, _ = Token.objects.get_or_create(user=user)
    partner = get_user_model().objects.get(username="bench.partner.001")
    partner_token, _ = Token.objects.get_or_create(user=partner)
    references = list(
        Case.objects.filter(caseworker=user)
        .order_by("pk")
        .values_list("reference", flat=True)[:500]
    )
    port = _free_port()
    base = f"http://{HOST}:{port}"
    # The production settings, as a council runs them (persistent database connections,
    # WhiteNoise, DEBUG off), except the redirect to HTTPS: wrk speaks plain HTTP on loopback.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ehc_workflow.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": HOST,
    }
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "gunicorn", "ehc_workflow.wsgi", "-b", f"{HOST}:{port}"]
        + ["-w", str(WORKERS), "--access-logfile", "-", "--log-level", "warning"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
    )
    results = []
    try:
        list_path = f"/api/cases/?caseworker={user.username}"
        _wait_until_up(base + list_path, token.key)
        endpoints = [
            ("4a API case list, one caseworker", [list_path], 0.150, token.key),
            ("4b API case detail", [f"/api/cases/{ref}/" for ref in references], 0.100, token.key),
            # The partner inbox: what the partner's service(s) still owe.
            ("4c API partner inbox", [INBOX_PATH], 0.150, partner_token.key),
        ]
        for name, paths, limit, key in endpoints:
            # One client first: the time a request takes on its own (no queueing), for a
            # fifth of the time; then the 25 clients, which the target is about.
            alone = _wrk(base, paths, key, max(seconds // 5, 5), clients=1)
            figures = _wrk(base, paths, key, seconds, clients=CONNECTIONS)
            error_rate = figures["errors"] / max(figures["requests"], 1)
            result = Result(name, [], f"p95 < {limit * 1000:.0f} ms", given=figures)
            result.met = figures["p95"] < limit and error_rate < 0.001
            result.note = (
                f"{CONNECTIONS} clients: {figures['requests']:,} requests in {seconds} s "
                f"({figures['requests'] / seconds:.0f}/s), errors {error_rate:.3%}, "
                f"p99 {figures['p99'] * 1000:.0f} ms; 1 client: p50 {alone['p50'] * 1000:.0f} ms, "
                f"p95 {alone['p95'] * 1000:.0f} ms ({alone['requests'] / alone['seconds']:.0f}/s)"
            )
            results.append(result)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results
