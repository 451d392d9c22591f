"""Benchmark 5's split of a step's wall time (bench.suite._step_costs): the client's CPU, and on
one connection what is left for the database, the most the app's statements could do alone."""

from bench.suite import _cpu_timed, _step_costs


def test_one_connection_leaves_the_wall_time_the_client_did_not_use_to_the_database():
    # Two timed runs of 200 steps (1.0 s and 1.2 s); CPU 0.9 s in the warm-up, then 0.5, 0.6 s.
    note = _step_costs(200, [1.0, 1.2], [0.9, 0.5, 0.6], cores=1)
    assert note == (
        "client CPU 2.8 ms a step, waiting for the database 2.8 ms a step "
        "(the statements alone: at most 364/s)"
    )


def test_several_processes_report_the_clients_share_of_the_cores():
    note = _step_costs(200, [1.0, 1.0, 1.0], [9.0, 1.0, 1.0, 1.0], cores=2)
    assert note == "client CPU 5.0 ms a step, 50% of 2 cores"


def test_cpu_timed_appends_the_cpu_time_of_each_run():
    cpu = []
    run = _cpu_timed(lambda: sum(range(100_000)), cpu)
    run()
    run()
    assert len(cpu) == 2
    assert all(seconds > 0 for seconds in cpu)
