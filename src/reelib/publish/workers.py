"""Run each report in its own process, forked from a parent that imported the stack once.

The first report starts a multiprocessing *forkserver* that imports
``reelib.publish.warm`` (pandas, matplotlib, statsmodels, papermill, nbconvert, reelib);
every report is then a fork of it: isolated from the others (its own memory, its own
matplotlib and pandas state), yet with nothing left to import. Each report's process
leads its own process group and dies with its parent, so a kill takes everything it
started and nothing is orphaned.

Time limits are two-staged: at ``timeout`` seconds the report interrupts itself (the
running cell fails, the notebook is kept in ``_failed/`` like any failure); if it is
still running ``GRACE`` seconds later, the build kills its process group.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from reelib.publish.specs import ReportSpec

#: seconds a report may overrun its timeout (to save its failed notebook) before a kill
GRACE = 20.0
PRELOAD = ["reelib.publish.warm"]
#: One BLAS/OpenMP thread per report process. Reports run side by side (``--jobs``), and
#: OpenBLAS's default of a thread per core made the statsmodels fits of two reports fight
#: over the cores: a price report built beside another took about 1 s longer. The
#: matrices are small, so one thread costs nothing alone. A value the user set is kept.
THREAD_LIMITS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_CONTEXT = None


def context():
    """The forkserver context whose server has imported the stack (started on first use;
    it inherits this process's environment, so the thread limits are set here)."""
    global _CONTEXT
    if _CONTEXT is None:
        for name, value in THREAD_LIMITS.items():
            os.environ.setdefault(name, value)
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        _CONTEXT = ctx
    return _CONTEXT


@contextmanager
def _without_main():
    """Start processes without re-running the caller's main script in them.

    multiprocessing re-imports ``__main__`` in every child so that functions defined there
    can be found; ours live in this module, and re-running a caller's unguarded script
    (or one read from stdin) would start a build inside every report.
    """
    main = sys.modules["__main__"]
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _nothing() -> None:
    """The body of the process ``warm_up`` forks to wait for the warm parent."""


def warm_up() -> None:
    """Start the warm parent now and wait until it has imported the stack (``reelib
    preview`` does, so that the first rebuild after a save costs the report's own time).
    The wait is a no-op process forked from it: a fork happens only once the parent's
    imports are done."""
    with _without_main():
        probe = context().Process(target=_nothing, daemon=True)
        probe.start()
    probe.join(timeout=120)


@dataclass
class Job:
    """One report to build, everything its process needs."""

    spec: ReportSpec
    reports_dir: Path
    code: str
    engine: str
    timeout: float
    grace: float = GRACE
    stamp: dict = field(default_factory=dict)  # the build's time and commit, for the page


@dataclass
class Running:
    """A report's process while it runs."""

    job: Job
    process: multiprocessing.process.BaseProcess
    conn: Connection
    started: float = field(default_factory=time.monotonic)

    @property
    def deadline(self) -> float:
        return self.started + self.job.timeout + self.job.grace

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


def _die_with_parent() -> None:
    """Linux: receive SIGKILL when the process that forked us exits."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(job: Job, conn: Connection) -> None:
    """Entry point of a report's process: build it, send (status, error) back."""
    os.setpgrp()
    _die_with_parent()
    # The timeout interrupts the report with SIGINT (execute._alarm). A process started
    # with SIGINT ignored (a script run in the background) passes that on to the warm
    # parent and its forks, and the interrupt would do nothing; this process is its own
    # group, so only the alarm and the build ever send it SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    started = time.monotonic()
    try:
        from reelib.publish.execute import run_report
        from reelib.exceptions import ReelibError

        run_report(job.spec, job.reports_dir, job.code, engine=job.engine,
                   timeout=job.timeout, stamp=job.stamp)
        conn.send(("built", "", time.monotonic() - started))
    except ReelibError as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}", time.monotonic() - started))
    except BaseException as exc:  # a bug: say so, with the traceback for --debug
        conn.send(("failed", f"internal error, please report it: {type(exc).__name__}: {exc}"
                   f"\n{traceback.format_exc()}", time.monotonic() - started))
    finally:
        conn.close()


def start(job: Job) -> Running:
    """Start the job's process and return its handle."""
    ctx = context()
    parent_end, child_end = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(job, child_end),
                          name=f"reelib-report-{job.spec.name}", daemon=False)
    with _without_main():
        process.start()
    child_end.close()
    return Running(job=job, process=process, conn=parent_end)


def _end_group(pid: int) -> None:
    """End whatever the report's process started (its process group): a process a
    notebook left running would outlive its report and hold the build's output open."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError, OSError):
            return  # the group is empty: nothing was left behind
        time.sleep(0.05)


def result(running: Running) -> tuple[str, str, float]:
    """(status, error, seconds) of a finished report's process; anything the report
    started and left running is ended with it."""
    running.process.join(5)
    _end_group(running.process.pid)
    try:
        if running.conn.poll():
            return running.conn.recv()
    except (EOFError, OSError):
        pass
    finally:
        running.conn.close()
    code = running.process.exitcode
    how = (f"was killed by signal {-code}" if code is not None and code < 0
           else f"exited with code {code}")
    return ("failed", f"WorkerDiedError: the report's process {how} before reporting "
                      "(out of memory?)", running.elapsed)


def kill(running: Running) -> None:
    """Kill the report's process group (the report and anything it started)."""
    pid = running.process.pid
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError, OSError):
            pass
    running.process.join(5)
    running.conn.close()


def wait_any(running: list[Running], until: float | None) -> list[Running]:
    """Block until a process finishes or ``until`` (monotonic) passes; return finished."""
    timeout = None if until is None else max(0.0, until - time.monotonic())
    ready = wait([r.process.sentinel for r in running] + [r.conn for r in running],
                 timeout=timeout)
    return [r for r in running if r.process.sentinel in ready or r.conn in ready]
