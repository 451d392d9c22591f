from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks at national scale (issue 8): the data generator and `run_bench`. Never part of
    `make test`; `make bench` runs it against a real PostgreSQL database."""

    name = "bench"
    verbose_name = "Benchmarks"
