"""PrintQueue: printing off the request thread, with callbacks for the outcome."""

import threading
import time

import pytest
from PIL import Image

from printers import PrinterError, PrinterUnavailable, PrintQueue


class Outcomes:
    """Collects the callbacks of a PrintQueue."""

    def __init__(self) -> None:
        self.succeeded: list[object] = []
        self.failed: list[tuple[object, PrinterError]] = []

    def on_success(self, job_id: object) -> None:
        self.succeeded.append(job_id)

    def on_failure(self, job_id: object, error: PrinterError) -> None:
        self.failed.append((job_id, error))


@pytest.fixture
def outcomes() -> Outcomes:
    return Outcomes()


@pytest.fixture
def print_queue(outcomes):
    """Return a factory of PrintQueues reporting to outcomes; all are stopped afterwards."""
    queues: list[PrintQueue] = []

    def make(**kwargs) -> PrintQueue:
        queue = PrintQueue(outcomes.on_success, outcomes.on_failure, **kwargs)
        queues.append(queue)
        return queue

    yield make
    for queue in queues:
        assert queue.stop(timeout=10)


@pytest.fixture
def image() -> Image.Image:
    return Image.new("1", (576, 200), 1)


def test_job_on_a_working_printer_calls_on_success(print_queue, outcomes, fake_printer, image):
    printer = fake_printer()
    queue = print_queue()

    queue.submit("t-1", image, printer.uri)

    assert queue.wait_idle(timeout=10)
    assert outcomes.succeeded == ["t-1"]
    assert outcomes.failed == []
    assert len(printer.wait_for_jobs(1)) == 1


def test_job_on_a_dead_printer_calls_on_failure(print_queue, outcomes, dead_printer_uri, image):
    queue = print_queue()

    queue.submit("t-2", image, dead_printer_uri)

    assert queue.wait_idle(timeout=10)
    assert outcomes.succeeded == []
    [(job_id, error)] = outcomes.failed
    assert job_id == "t-2"
    assert isinstance(error, PrinterUnavailable)


def test_submit_returns_at_once_while_a_printer_hangs(print_queue, outcomes, fake_printer):
    stuck = fake_printer(read=False)
    queue = print_queue(timeout=1)
    big = Image.new("1", (576, 3000), 0)  # more than the socket buffers hold
    started = time.monotonic()

    queue.submit("t-3", big, stuck.uri)
    queue.submit("t-4", big, stuck.uri)

    assert time.monotonic() - started < 0.2
    assert queue.wait_idle(timeout=10)
    assert [job_id for job_id, _ in outcomes.failed] == ["t-3", "t-4"]
    assert all(isinstance(error, PrinterUnavailable) for _, error in outcomes.failed)


def test_jobs_are_printed_in_order_and_a_failing_callback_does_not_stop_the_queue(
    fake_printer, image
):
    printer = fake_printer()
    done: list[object] = []

    def on_success(job_id):
        done.append(job_id)
        if job_id == 1:
            raise RuntimeError("the kiosk's callback is broken")

    queue = PrintQueue(on_success, lambda job_id, error: None)
    for job_id in range(1, 4):
        queue.submit(job_id, image, printer.uri)

    assert queue.wait_idle(timeout=10)
    assert done == [1, 2, 3]
    assert queue.stop(timeout=5)


def test_full_queue_refuses_new_jobs_at_once(image):
    release = threading.Event()
    queue = PrintQueue(lambda job_id: release.wait(5), lambda job_id, error: None, max_pending=2)
    try:
        queue.submit("a", image, "memory:queue-full")  # its callback holds the worker
        queue.submit("b", image, "memory:queue-full")
        started = time.monotonic()

        with pytest.raises(PrinterUnavailable, match="2 tickets are waiting to be printed"):
            queue.submit("c", image, "memory:queue-full")

        assert time.monotonic() - started < 0.2
    finally:
        release.set()
        assert queue.stop(timeout=10)


def test_stopped_queue_refuses_new_jobs(print_queue, image):
    queue = print_queue()
    assert queue.stop(timeout=5)

    with pytest.raises(RuntimeError, match="stopped"):
        queue.submit("late", image, "memory:")


def test_stop_prints_what_was_queued_first(print_queue, outcomes, image):
    queue = print_queue()
    queue.submit("x", image, "memory:stop-drains")

    assert queue.stop(timeout=10)
    assert outcomes.succeeded == ["x"]
