"""Benchmark 4e-4g (issue 20 item 4): what one API request costs in the app, against the bare
DRF view returning the same body (bench/bare.py), in process, one request at a time.

Both go through Django's request handler with django.test.Client and the same token: the app
with every middleware and its own URLs; the bare view with no middleware and the bench-only
URLconf (override_settings). Requests alternate in blocks between the two, so a change in the
machine's load falls on both. Figures are per request: the median and the 95th percentile of
every request timed, and the ratio of the medians (target: the app within 2x of its limit).

Not a transaction: the app's access-log rows are committed as a council's would be (that
commit is part of what a request costs), so the benchmark's database keeps them."""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import time
from collections.abc import Callable
from contextlib import nullcontext

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from cases.models import Case

from .load import INBOX_PATH
from .timing import Result, check

#: Requests per block; blocks alternate bare, app, bare, app...
BLOCK = 20
MAX_RATIO = 2.0
BARE = override_settings(ROOT_URLCONF="bench.bare_urls", MIDDLEWARE=[])


def _token_client(username: str) -> Client:
    user = get_user_model().objects.get(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token.key}")


def endpoints() -> list[tuple[str, Client, list[str], list[str]]]:
    """(name, client, the app's paths, the bare view's paths): the paths benchmark 4 asks for."""
    caseworker = _token_client("bench.caseworker.001")
    partner = _token_client("bench.partner.001")
    references = list(
        Case.objects.filter(caseworker__username="bench.caseworker.001")
        .order_by("pk")
        .values_list("reference", flat=True)[:500]
    )
    query = "?caseworker=bench.caseworker.001"
    return [
        (
            "case list, one caseworker",
            caseworker,
            [f"/api/cases/{query}"],
            [f"/bare/cases/{query}"],
        ),
        (
            "case detail",
            caseworker,
            [f"/api/cases/{ref}/" for ref in references],
            [f"/bare/cases/{ref}/" for ref in references],
        ),
        (
            "partner inbox",
            partner,
            [INBOX_PATH],
            [INBOX_PATH.replace("/api/", "/bare/")],
        ),
    ]


def _get(client: Client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return response


def _block(client: Client, paths: list[str], start: int, count: int) -> list[float]:
    times = []
    for i in range(start, start + count):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        _get(client, path)
        times.append(time.perf_counter() - started)
    return times


def body_differences(client: Client, app_path: str, bare_path: str) -> list[str]:
    """Where the bare view's body differs from the app's (the pagination links aside: they
    name other paths); empty when they are the same."""
    app = json.loads(_get(client, app_path).content)
    with BARE:
        bare = json.loads(_get(client, bare_path).content)
    for body in (app, bare):
        if isinstance(body, dict) and "next" in body:
            body["next"] = bool(body["next"])
    if app == bare:
        return []
    if "results" in app and len(app["results"]) == len(bare.get("results", ())):
        app, bare = app["results"][0], bare["results"][0]
    return [
        f"{key}: app {app.get(key)!r}, bare {bare.get(key)!r}"
        for key in sorted(set(app) | set(bare))
        if app.get(key) != bare.get(key)
    ] or ["the rows differ"]


def same_body(client: Client, app_path: str, bare_path: str) -> bool:
    return not body_differences(client, app_path, bare_path)


def measure(client, app_paths, bare_paths, *, requests: int) -> tuple[list[float], list[float]]:
    """Per-request times of the app and of the bare view, `requests` of each, in blocks."""
    app_times: list[float] = []
    bare_times: list[float] = []
    done = 0
    while done < requests:
        count = min(BLOCK, requests - done)
        with BARE:
            _get(client, bare_paths[0])  # the URLconf and middleware were just swapped
            bare_times += _block(client, bare_paths, done, count)
        _get(client, app_paths[0])
        app_times += _block(client, app_paths, done, count)
        done += count
    return app_times, bare_times


def _profile(client, paths, *, requests: int, bare: bool = False, lines: int = 30) -> str:
    """cProfile of `requests` requests, the top `lines` by cumulative time."""
    with BARE if bare else nullcontext():
        _get(client, paths[0])
        profiler = cProfile.Profile()
        profiler.enable()
        _block(client, paths, 0, requests)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


def bench_api_cost(
    today, repeat, *, profile: int = 0, write: Callable[[str], object] | None = None
) -> list[Result]:
    """4e-4g. `repeat` x 40 requests of each (200 with --repeat 5). With `profile`, also write
    a cProfile of that many app requests per endpoint (the top lines by cumulative time)."""
    requests = max(repeat, 1) * 2 * BLOCK
    results = []
    for number, (name, client, app_paths, bare_paths) in zip("efg", endpoints(), strict=True):
        differences = body_differences(client, app_paths[0], bare_paths[0])
        if differences:
            raise RuntimeError(f"{name}: the bare view's body differs: {differences}")
        app_times, bare_times = measure(client, app_paths, bare_paths, requests=requests)
        result = Result(f"4{number} one request: {name} (app / bare view)", app_times, "<= 2x bare")
        result.sql_times = bare_times
        check(result, max_ratio=MAX_RATIO)
        bare = Result("", bare_times, "")
        result.note = (
            f"{requests} requests each, in process; bare view p50 {bare.median * 1000:.1f} ms, "
            f"p95 {bare.p95 * 1000:.1f} ms"
        )
        results.append(result)
        if profile and write is not None:
            write(f"--- {name}: the app, {profile} requests ---")
            write(_profile(client, app_paths, requests=profile))
    return results
