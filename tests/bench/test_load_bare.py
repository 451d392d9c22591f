"""Benchmark 4's bare-view runs (bench/load.py `_against_bare_views`), with the server and wrk
replaced by stand-ins: the plain bare view's median stays the limit, and the logged bare view
of the case detail and the partner inbox (not the list: it logs nothing) is run after it and
reported in the note with the app's ratio to it."""

from contextlib import contextmanager

from bench import load
from bench.timing import Result

#: p50 by the first path's prefix: the app 30 ms, the bare view 10 ms, the logged one 20 ms
P50 = {"/bare/": 0.010, "/bare-logged/": 0.020}


def test_the_logged_bare_views_are_run_after_the_bare_ones_and_noted(monkeypatch):
    asked = []

    @contextmanager
    def server(**kwargs):
        assert kwargs["app"] == "bench.bare_wsgi"
        yield "http://loopback"

    def wrk(base, paths, key, seconds, clients):
        asked.append((paths[0], clients))
        p50 = next(p50 for prefix, p50 in P50.items() if paths[0].startswith(prefix))
        return {"requests": 1000, "errors": 0, "p50": p50, "p95": 2 * p50, "p99": 3 * p50}

    monkeypatch.setattr(load, "_gunicorn", server)
    monkeypatch.setattr(load, "_wait_until_up", lambda url, token: None)
    monkeypatch.setattr(load, "_wrk", wrk)
    endpoints = [
        ("API case list, one caseworker", ["/api/cases/?caseworker=c"], 0.150, "t"),
        ("API case detail", ["/api/cases/R1/", "/api/cases/R2/"], 0.100, "t"),
        ("API partner inbox", [load.INBOX_PATH], 0.150, "p"),
    ]
    results = [Result(name, [], "", given={"p50": 0.030, "p95": 0.060}) for name, *_ in endpoints]
    load._against_bare_views(results, endpoints, seconds=10)

    assert asked == [
        ("/bare/cases/?caseworker=c", 25),
        ("/bare/cases/R1/", 25),
        ("/bare/advice-requests/?outstanding=true", 25),
        ("/bare-logged/cases/R1/", 25),
        ("/bare-logged/advice-requests/?outstanding=true", 25),
    ]
    assert [result.sql_times for result in results] == [[0.010]] * 3
    assert "logged" not in results[0].note
    for result in results[1:]:
        assert "the logged bare view" in result.note
        assert "p50 20 ms, p95 40 ms (100/s); app / logged bare 1.50x" in result.note
