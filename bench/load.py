"""Benchmark 4: the API under load. gunicorn (3 sync workers, production settings) on 127.0.0.1
and Debian's `wrk` with 25 connections for a bounded time per endpoint; requests only ever go to
loopback. `api_scale`: the same endpoints with one, then two, web processes pinned to cores."""

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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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
#: Sync workers per pinned web process in the two-process model (bench_api_scale).
PER_CORE_WORKERS = 2

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


def _endpoints():
    """The three endpoints of benchmark 4 (name, paths, p95 limit, token), as the bench users."""
    user = get_user_model().objects.get(username="bench.caseworker.001")
    token, _ = Token.objects.get_or_create(user=user)
    partner = get_user_model().objects.get(username="bench.partner.001")
    partner_token, _ = Token.objects.get_or_create(user=partner)
    references = list(
        Case.objects.filter(caseworker=user)
        .order_by("pk")
        .values_list("reference", flat=True)[:500]
    )
    list_path = f"/api/cases/?caseworker={user.username}"
    endpoints = [
        ("API case list, one caseworker", [list_path], 0.150, token.key),
        ("API case detail", [f"/api/cases/{ref}/" for ref in references], 0.100, token.key),
        # The partner inbox: what the partner's service(s) still owe.
        ("API partner inbox", [INBOX_PATH], 0.150, partner_token.key),
    ]
    return endpoints


@contextmanager
def _gunicorn(*, workers: int, cpu: int | None = None, app: str = "ehc_workflow.wsgi"):
    """A gunicorn on a free loopback port with the production settings (persistent database
    connections, WhiteNoise, DEBUG off) except the redirect to HTTPS (wrk speaks plain HTTP),
    optionally pinned to one core with `taskset`; yields its base URL. `app`: the WSGI module
    (bench.bare_wsgi for the bare views)."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ehc_workflow.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": HOST,
    }
    pin = [shutil.which("taskset"), "-c", str(cpu)] if cpu is not None else []
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        pin
        + [sys.executable, "-m", "gunicorn", app, "-b", f"{HOST}:{port}"]
        + ["-w", str(workers), "--access-logfile", "-", "--log-level", "warning"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench_api(*, seconds: int) -> list[Result]:
    if shutil.which("wrk") is None:
        skipped = Result("4 API under load", [], "p95 < 150/100 ms", given={"p50": 0, "p95": 0})
        skipped.note = "NOT RUN: needs Debian's wrk (apt-get install -y wrk)"
        return [skipped]
    endpoints = _endpoints()
    results = []
    cores = os.cpu_count() or 1
    with _gunicorn(workers=WORKERS) as base:
        _wait_until_up(base + endpoints[0][1][0], endpoints[0][3])
        for letter, (name, paths, limit, key) in zip("abc", endpoints, strict=True):
            # One client first: the time a request takes on its own (no queueing), for a
            # fifth of the time; then the 25 clients, which the target is about.
            alone = _wrk(base, paths, key, max(seconds // 5, 5), clients=1)
            figures = _wrk(base, paths, key, seconds, clients=CONNECTIONS)
            error_rate = figures["errors"] / max(figures["requests"], 1)
            result = Result(f"4{letter} {name}", [], f"p95 < {limit * 1000:.0f} ms", given=figures)
            result.met = figures["p95"] < limit and error_rate < 0.001
            rate = figures["requests"] / seconds
            result.note = (
                f"{CONNECTIONS} clients: {figures['requests']:,} requests in {seconds} s "
                f"({rate:.0f}/s, {rate / cores:.0f}/s per core on {cores}), errors "
                f"{error_rate:.3%}, p99 {figures['p99'] * 1000:.0f} ms; 1 client: p50 "
                f"{alone['p50'] * 1000:.0f} ms, p95 {alone['p95'] * 1000:.0f} ms "
                f"({alone['requests'] / alone['seconds']:.0f}/s)"
            )
            results.append(result)
    _against_bare_views(results, endpoints, seconds)
    return results


#: The endpoints the app logs (section 8), with a logged bare variant (/bare-logged/): the
#: case detail's RecordAccess row, the partner inbox's AccessLog rows. The list logs nothing.
LOGGED_ENDPOINTS = ("API case detail", "API partner inbox")


def _against_bare_views(results: list[Result], endpoints, seconds: int) -> None:
    """Issue 20 item 5: the same 25 clients against the bare views (bench/bare.py: the same
    rows from the same queries, no middleware, permissions, filter or paginator), served the
    same way; their median is each result's limit, so the table gives the ratio.

    Then, on the same server, the same clients for the same time against the logged bare
    views of the endpoints the app must log (LOGGED_ENDPOINTS: the bare body plus the app's
    access rows in one INSERT, committed): the note adds their p50, p95 and rate and the app's
    ratio to them, the app's overhead without the required write. The limit stays the plain
    bare view's."""
    with _gunicorn(workers=WORKERS, app="bench.bare_wsgi") as base:
        bare = [[path.replace("/api/", "/bare/", 1) for path in e[1]] for e in endpoints]
        _wait_until_up(base + bare[0][0], endpoints[0][3])
        for result, paths, (_, _, _, key) in zip(results, bare, endpoints, strict=True):
            figures = _wrk(base, paths, key, seconds, clients=CONNECTIONS)
            if figures["errors"]:
                raise RuntimeError(f"the bare view {paths[0]} answered with errors")
            result.sql_times = [figures["p50"]]
            result.note += (
                f"; the bare view, {CONNECTIONS} clients: p50 {figures['p50'] * 1000:.0f} ms, "
                f"p95 {figures['p95'] * 1000:.0f} ms ({figures['requests'] / seconds:.0f}/s)"
            )
        for result, (name, paths, _, key) in zip(results, endpoints, strict=True):
            if name not in LOGGED_ENDPOINTS:
                continue
            logged = [path.replace("/api/", "/bare-logged/", 1) for path in paths]
            figures = _wrk(base, logged, key, seconds, clients=CONNECTIONS)
            if figures["errors"]:
                raise RuntimeError(f"the logged bare view {logged[0]} answered with errors")
            result.note += _logged_note(result, figures, seconds)


def _logged_note(result: Result, figures: dict, seconds: int) -> str:
    return (
        f"; the logged bare view (the app's access rows, one INSERT), {CONNECTIONS} clients: "
        f"p50 {figures['p50'] * 1000:.0f} ms, p95 {figures['p95'] * 1000:.0f} ms "
        f"({figures['requests'] / seconds:.0f}/s); app / logged bare "
        f"{result.median / max(figures['p50'], 1e-6):.2f}x"
    )


def bench_api_scale(*, seconds: int) -> list[Result]:
    """Issue 20 item 5: the model of a second web machine behind the same PostgreSQL. First one
    gunicorn pinned to core 0 (what one core of web server gives), then two gunicorns pinned
    to cores 0 and 1, each taking half of the 25 clients from its own wrk (two machines behind
    a balancer). PostgreSQL and wrk share the same two cores: the model's ceiling, said in the
    note. Workers per server: PER_CORE_WORKERS sync workers (one computes while another waits
    on the database)."""
    if shutil.which("wrk") is None or shutil.which("taskset") is None:
        skipped = Result("4s API, two web processes", [], "-", given={"p50": 0, "p95": 0})
        skipped.note = "NOT RUN: needs Debian's wrk and util-linux's taskset"
        return [skipped]
    endpoints = _endpoints()
    results = []
    with _gunicorn(workers=PER_CORE_WORKERS, cpu=0) as first:
        _wait_until_up(first + endpoints[0][1][0], endpoints[0][3])
        for letter, (name, paths, limit, key) in zip("abc", endpoints, strict=True):
            one = _wrk(first, paths, key, seconds, clients=CONNECTIONS)
            results.append(_scale_result(f"4s{letter} {name}: one process, one core", [one], limit))
        with _gunicorn(workers=PER_CORE_WORKERS, cpu=1) as second:
            _wait_until_up(second + endpoints[0][1][0], endpoints[0][3])
            for letter, (name, paths, limit, key) in zip("abc", endpoints, strict=True):
                halves = _wrk_together(
                    [(first, CONNECTIONS // 2), (second, CONNECTIONS - CONNECTIONS // 2)],
                    paths,
                    key,
                    seconds,
                )
                results.append(
                    _scale_result(f"4s{letter} {name}: two processes, two cores", halves, limit)
                )
    return results


def _wrk_together(servers: list[tuple[str, int]], paths, key, seconds) -> list[dict]:
    """One wrk per server, all at once (threads only wait on the subprocesses)."""
    with ThreadPoolExecutor(len(servers)) as pool:
        runs = [
            pool.submit(_wrk, base, paths, key, seconds, clients=clients)
            for base, clients in servers
        ]
        return [run.result() for run in runs]


def _scale_result(name: str, runs: list[dict], limit: float) -> Result:
    """Requests summed over the servers; p50/p95/p99 the worst server's (wrk reports
    percentiles, not samples, so the slower side bounds the combined figure)."""
    seconds = runs[0]["seconds"]
    requests = sum(run["requests"] for run in runs)
    errors = sum(run["errors"] for run in runs)
    figures = {
        "p50": max(run["p50"] for run in runs),
        "p95": max(run["p95"] for run in runs),
        "p99": max(run["p99"] for run in runs),
    }
    result = Result(name, [], f"p95 < {limit * 1000:.0f} ms", given=figures)
    result.met = figures["p95"] < limit and errors / max(requests, 1) < 0.001
    rate = requests / seconds
    result.note = (
        f"{CONNECTIONS} clients: {requests:,} requests in {seconds} s ({rate:.0f}/s, "
        f"{rate / len(runs):.0f}/s per web core), errors {errors}, p99 "
        f"{figures['p99'] * 1000:.0f} ms; PostgreSQL and wrk on the same two cores"
    )
    return result
