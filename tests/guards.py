"""A hang is a failure, not a stuck CI job: the tests that could block (a FIFO, a huge input)
run under a deadline."""

from __future__ import annotations

import signal
from contextlib import contextmanager


@contextmanager
def deadline(seconds: int):
    """Fails the test instead of hanging it when narrate blocks or runs on."""

    def hung(signum, frame):
        raise AssertionError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
