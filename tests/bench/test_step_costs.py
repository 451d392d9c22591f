"""Benchmark 5's split of a step's cost (bench.suite._step_costs): the client's CPU and the
database server's; on one connection, what is left of the wall time for the database (the most
the app's statements could do alone); on several processes, what the cores allow."""

import pytest

from bench.suite import _backend_cpu, _cpu_timed, _step_costs


def test_one_connection_leaves_the_wall_time_the_client_did_not_use_to_the_database():
    # Two timed runs of 200 steps (1.0 s and 1.2 s); CPU 0.9 s in the warm-up, then 0.5, 0.6 s.
    cpu = [(0.9, 0.4), (0.5, 0.2), (0.6, 0.3)]
    note = _step_costs(200, [1.0, 1.2], cpu, cores=1)
    assert note == (
        "client CPU 2.8 ms a step, the database's 1.2 ms; waiting for the database "
        "2.8 ms a step (the statements alone: at most 364/s)"
    )


def test_several_processes_report_what_the_cores_allow():
    cpu = [(9.0, 9.0), (1.0, 0.5), (1.0, 0.5), (1.0, 0.5)]
    note = _step_costs(200, [1.0, 1.0, 1.0], cpu, cores=2)
    assert note == "client CPU 5.0 ms a step, the database's 2.5 ms: 2 cores allow at most 267/s"


def test_without_the_database_servers_cpu_the_clients_share_of_the_cores():
    cpu = [(9.0, None), (1.0, None), (1.0, None), (1.0, None)]
    note = _step_costs(200, [1.0, 1.0, 1.0], cpu, cores=2)
    assert note == "client CPU 5.0 ms a step, 50% of 2 cores"


@pytest.mark.django_db
def test_cpu_timed_appends_the_cpu_time_of_each_run():
    cpu = []
    run = _cpu_timed(lambda: sum(range(100_000)), cpu)
    run()
    run()
    assert len(cpu) == 2
    assert all(client > 0 for client, _ in cpu)


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_database_servers_cpu_is_read_for_this_connection():
    before = _backend_cpu()
    assert before is not None
    assert _backend_cpu() >= before
