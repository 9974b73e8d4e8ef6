"""The ``reelib`` command: fetch sources, clean them, build reports.

    reelib fetch [SOURCE_ID ...]   materialise data/raw from the mirror or the URLs
    reelib clean                   build and validate data/processed
    reelib data                    fetch + clean (the clean is skipped when data/processed
                                   is current: raw files, registry and code unchanged)
    reelib build [REPORT ...]      fetch + clean + every report (or the named ones)
    reelib build NAME -p k=v ...   an ad-hoc report: report NAME (or notebook NAME) run
                                   with other parameters, written under its own name
    reelib list                    the reports: notebook, parameters, status
    reelib sources                 list the registered sources
    reelib params NOTEBOOK         show a notebook's parameters (a path, name or number)

Exit codes: 0 done; 1 the build finished but a report failed, was blocked or timed out;
2 bad input (a registry, reports file, parameter or source file the project refuses);
3 another build holds the reports folder; 70 an internal error (a bug: rerun with
--debug for the traceback); 74 the operating system refused a read or write (disk full,
read-only folder, permission denied: the message names the path); 130 interrupted
(SIGINT or SIGTERM, in any phase). Problems the project detects
(``ReelibError``) are printed as one clear line, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time

from reelib import config
from reelib.exceptions import ReelibError

log = logging.getLogger("reelib")
EXIT_OK, EXIT_REPORTS_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 70, 130
EXIT_OS_ERROR = 74  # EX_IOERR

#: what to do about an operating-system error, by errno name
_OS_FIX = {"ENOSPC": "free disk space and run it again",
           "EDQUOT": "free space within your quota and run it again",
           "EROFS": "the file system is read-only: work on a writable copy",
           "EACCES": "check the folder's permissions",
           "EPERM": "check the folder's permissions"}


def _cmd_fetch(args: argparse.Namespace) -> None:
    from reelib.sources.fetch import fetch_sources

    t0 = time.perf_counter()
    paths = fetch_sources(args.source_ids or None, allow_download=not args.offline)
    print(f"fetch: {len(paths)} files verified in {config.RAW_DIR} "
          f"({time.perf_counter() - t0:.1f} s)")


def _cmd_clean(args: argparse.Namespace, *, reuse_reads: bool = False) -> None:
    """Read every source (or, from ``reelib data``, only the changed ones), then write."""
    from reelib.processed.pipeline import clean_all
    from reelib.processed.reader_cache import CACHE_DIR, ReaderCache

    t0 = time.perf_counter()
    cache = ReaderCache(config.PROCESSED_DIR / CACHE_DIR, reuse=reuse_reads)
    built = clean_all(cache=cache)
    rows = ", ".join(f"{k} {len(v):,}" for k, v in built.items())
    print(f"clean: wrote {len(built)} tables to {config.PROCESSED_DIR} "
          f"({time.perf_counter() - t0:.1f} s; {cache.summary()}): {rows}")


def _cmd_data(args: argparse.Namespace) -> None:
    """fetch, then clean unless data/processed is current (decided without pandas)."""
    from reelib.processed.freshness import stale_reason

    _cmd_fetch(argparse.Namespace(source_ids=[], offline=args.offline))
    reason = stale_reason()
    if reason is None and not getattr(args, "force_clean", False):
        print(f"clean: {config.PROCESSED_DIR} is up to date (raw files, registry and "
              "cleaning code unchanged)")
        return
    # a forced clean reads every source afresh; otherwise unchanged sources come from the
    # reader cache (processed/reader_cache.py)
    _cmd_clean(args, reuse_reads=not getattr(args, "force_clean", False))


def parse_assignments(items: list[str]) -> dict[str, object]:
    """``["element=Sm", "start_year=2015"]`` -> ``{"element": "Sm", "start_year": 2015}``;
    values are read as YAML (numbers, lists ``[CHN, USA]``, ``true``), else kept as text."""
    import yaml

    from reelib.exceptions import ParameterError
    from reelib.files import yamltext

    out: dict[str, object] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip().isidentifier():
            raise ParameterError(f"-p {item!r}: write a parameter as name=value, e.g. -p "
                                 "element=Sm")
        try:
            value = yamltext.safe_load(text) if text.strip() else ""
        except yaml.YAMLError:
            value = text
        out[key.strip()] = text if value is None else value
    return out


def _adhoc(args: argparse.Namespace, specs: list) -> list:
    """The ad-hoc report ``-p`` asks for, checked against its notebook before any work."""
    from reelib.publish.parameters import check_declared, notebook_parameters
    from reelib.publish.specs import adhoc_spec, base_spec
    from reelib.exceptions import ParameterError

    if not args.params:
        if args.name or args.title:
            raise ParameterError("--name and --title name an ad-hoc report: add -p name=value")
        return []
    if len(args.reports) != 1:
        raise ParameterError("-p makes one ad-hoc report: give exactly one report or "
                             f"notebook name, got {args.reports or 'none'}")
    base = base_spec(args.reports[0], specs)
    spec = adhoc_spec(base, parse_assignments(args.params), name=args.name, title=args.title)
    if spec.name in {s.name for s in specs}:
        raise ParameterError(f"--name {spec.name!r} is a report of the reports file; choose "
                             "another name for an ad-hoc report")
    checked = check_declared(spec.name, spec.notebook.name,
                             notebook_parameters(spec.notebook), spec.parameters)
    if checked != spec.parameters:  # a value read as a date for a text parameter, now text
        spec = adhoc_spec(base, checked, name=args.name, title=args.title)
    return [spec]


class Progress:
    """How the build talks: one progress line for the reports phase (rewritten in place on
    a terminal; a plain line at each quarter in CI logs), every failed, blocked or
    timed-out report on its own line, and the summary. ``-v`` prints every report."""

    _LINE = re.compile(r"^\[\s*(\d+)/(\d+)\] (\S+)\s+(\S+)")

    def __init__(self, verbose: bool, stream=None):
        self.verbose, self.stream = verbose, stream or sys.stdout
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.shown = 0  # quarters printed (plain mode)
        self.pending = False  # a live line is on screen

    def _end_live(self) -> None:
        if self.pending:
            self.stream.write("\n")
            self.pending = False

    def __call__(self, text: str) -> None:
        m = self._LINE.match(text)
        if self.verbose or not m:
            self._end_live()
            print(text, file=self.stream, flush=True)
            return
        done, total, name, status = int(m[1]), int(m[2]), m[3], m[4]
        if status not in ("built", "up"):  # failed, blocked, timed out: always shown
            self._end_live()
            print(text, file=self.stream, flush=True)
            return
        if self.live:
            self.stream.write(f"\r\x1b[Kreports: {done}/{total} done ({name})")
            self.stream.flush()
            self.pending = done < total
            if not self.pending:
                self.stream.write("\n")
        elif done * 4 // total > self.shown or done == total:
            self.shown = done * 4 // total
            print(f"reports: {done}/{total} done", file=self.stream, flush=True)


def _cmd_build(args: argparse.Namespace) -> int:
    from reelib.files.lock import folder_lock
    from reelib.publish.schedule import build_reports
    from reelib.publish.specs import load_reports_file, select_specs

    specs = load_reports_file()
    adhoc = _adhoc(args, specs)  # unknown names and bad parameters stop us before any work
    names = [a.name for a in adhoc] or args.reports
    select_specs(specs + adhoc, names)
    with folder_lock(config.REPORTS_DIR, wait=args.wait):
        if not args.skip_data:
            _cmd_data(args)
        result = build_reports(names=names or None, force=args.force, jobs=args.jobs,
                               echo=Progress(args.verbose),
                               engine=args.engine, timeout=args.timeout, adhoc=adhoc)
    return EXIT_OK if result.ok else EXIT_REPORTS_FAILED


def _cmd_preview(args: argparse.Namespace) -> int:
    from reelib.publish.preview import preview
    from reelib.publish.specs import load_reports_file, select_specs

    select_specs(load_reports_file(), args.reports or None)  # unknown names stop us here
    if not args.skip_data:
        _cmd_data(args)
    preview(args.reports or None, port=args.port, jobs=args.jobs, echo=Progress(args.verbose))
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> None:
    import json

    from reelib.present.layout import FAILED_DIR, notebook_file
    from reelib.publish.freshness import adhoc_specs, stale_reason
    from reelib.publish.provenance import code_fingerprint
    from reelib.publish.specs import MATRIX_VALUES, load_reports_file

    specs = load_reports_file()
    specs += adhoc_specs(config.REPORTS_DIR, {s.name for s in specs})
    code = code_fingerprint()
    rows = []
    for s in specs:
        reason = stale_reason(s, config.REPORTS_DIR, code)
        status = "up to date" if reason is None else (
            "never built" if reason == "never built" else f"stale: {reason}")
        if (config.REPORTS_DIR / FAILED_DIR / notebook_file(s.name)).exists():
            status = "failed in the last build" + (
                "" if reason == "never built" else " (previous report kept)")
        params = json.dumps(s.parameters, ensure_ascii=False) if s.parameters else ""
        rows.append((s.name + (" (ad hoc)" if s.adhoc else ""), s.notebook.name, params,
                     status))
    if not (config.PROCESSED_DIR / MATRIX_VALUES).exists():
        print("(entries with a data-driven matrix: expanded once `reelib data` has run)")
    if not rows:
        return
    width = max(len(r[0]) for r in rows)
    nb_width = max(len(r[1]) for r in rows)
    for name, notebook, params, status in rows:
        print(f"{name:{width}s}  {notebook:{nb_width}s}  {status}"
              + (f"\n{'':{width}s}  parameters {params}" if params and args.verbose_params
                 else (f"  {params}" if params else "")))


def _cmd_sources(args: argparse.Namespace) -> None:
    from reelib.sources.registry import load_registry

    for sid, s in load_registry().items():
        print(f"{sid:58s} {s.kind:9s} {s.edition:32s} {len(s.files):3d} file(s)  {s.licence}")


def _cmd_params(args: argparse.Namespace) -> None:
    from reelib.publish.parameters import notebook_parameters

    for p in notebook_parameters(args.notebook).values():
        print(f"{p['name']}: {p['type']} = {p['default']}   # {p['help']}")


def positive_seconds(text: str) -> float:
    """``--timeout``: a finite number of seconds above 0 and at most a day."""
    from reelib.exceptions import RegistryError
    from reelib.publish.specs import check_timeout

    try:
        return check_timeout(float(text), "--timeout")
    except (ValueError, RegistryError) as exc:
        raise argparse.ArgumentTypeError(
            f"--timeout must be a number of seconds above 0 and at most a day, got "
            f"{text!r}") from exc


#: the most reports run side by side: more than this is a typo, not a machine
MAX_JOBS = 64


def whole_number(option: str, low: int, high: int, note: str = ""):
    """The argparse type of an option taking a whole number from ``low`` to ``high``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{option} must be a whole number from {low} to {high}{note}, got {text!r}")
        return value
    return parse


#: ``--jobs`` and ``--port``
job_count = whole_number("--jobs", 1, MAX_JOBS)
port_number = whole_number("--port", 0, 65_535, " (0: any free port)")


def wait_seconds(text: str) -> float:
    """``--wait``: a finite number of seconds from 0 to a day."""
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= 86_400:
        raise argparse.ArgumentTypeError(
            f"--wait must be a number of seconds from 0 to 86,400 (a day), got {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    """The command-line interface (also documents every option in ``reelib -h``)."""
    p = argparse.ArgumentParser(prog="reelib", description=__doc__.split("\n\n")[0])
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    p.add_argument("--debug", action="store_true",
                   help="show the traceback of an internal error")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("fetch", help="materialise data/raw (sha256-checked)")
    s.add_argument("source_ids", nargs="*", help="registered source ids (default: all)")
    s.add_argument("--offline", action="store_true", help="use the mirror only, never download")
    s.set_defaults(func=_cmd_fetch)
    s = sub.add_parser("clean", help="read every source afresh, build and validate "
                       "data/processed")
    s.set_defaults(func=_cmd_clean)
    s = sub.add_parser("data", help="fetch + clean (skipped when nothing changed)")
    s.add_argument("--offline", action="store_true", help="use the mirror only, never download")
    s.add_argument("--force-clean", action="store_true",
                   help="clean even if data/processed is up to date, reading every source "
                   "afresh")
    s.set_defaults(func=_cmd_data)
    s = sub.add_parser("build", help="fetch + clean + reports")
    s.add_argument("reports", nargs="*", help="report names from notebooks/reports.yaml")
    s.add_argument("--force", action="store_true", help="rebuild reports even if unchanged")
    s.add_argument("--skip-data", action="store_true", help="do not fetch and clean first")
    s.add_argument("--force-clean", action="store_true",
                   help="clean even if data/processed is up to date, reading every source "
                   "afresh")
    s.add_argument("--offline", action="store_true", help="use the mirror only, never download")
    s.add_argument("-j", "--jobs", type=job_count, default=2,
                   help=f"reports run in parallel (1 to {MAX_JOBS})")
    s.add_argument("--timeout", type=positive_seconds, default=None,
                   help="seconds a report may run, for reports whose entry in reports.yaml "
                        "sets no 'timeout' (default 600)")
    s.add_argument("--engine", choices=("inprocess", "kernel"), default="inprocess",
                   help="run notebooks in warm worker processes (default) or in Jupyter "
                        "kernels")
    s.add_argument("--wait", type=wait_seconds, default=0.0, metavar="SECONDS",
                   help="if another build holds the reports folder, wait this long for it")
    s.add_argument("-p", "--param", dest="params", action="append", default=[],
                   metavar="NAME=VALUE",
                   help="build an ad-hoc report: the one named report (or notebook) with this "
                        "parameter changed (repeatable; values read as YAML)")
    s.add_argument("--name", default=None, help="folder name of the ad-hoc report "
                   "(default: REPORT--name-value)")
    s.add_argument("--title", default=None, help="title of the ad-hoc report")
    s.set_defaults(func=_cmd_build)
    s = sub.add_parser("preview", help="build, serve reports/ locally and rebuild a report "
                       "when its notebook is saved (pages reload themselves)")
    s.add_argument("reports", nargs="*", help="report names to watch (default: all)")
    s.add_argument("--port", type=port_number, default=8000,
                   help="local port (0: any free one)")
    s.add_argument("-j", "--jobs", type=job_count, default=1,
                   help=f"reports run in parallel (1 to {MAX_JOBS})")
    s.add_argument("--skip-data", action="store_true", help="do not fetch and clean first")
    s.add_argument("--offline", action="store_true", help="use the mirror only, never download")
    s.add_argument("--force-clean", action="store_true",
                   help="clean even if data/processed is up to date, reading every source "
                   "afresh")
    s.set_defaults(func=_cmd_preview)
    s = sub.add_parser("list", help="list the reports: notebook, parameters, status")
    s.add_argument("--long", dest="verbose_params", action="store_true",
                   help="parameters on their own line")
    s.set_defaults(func=_cmd_list)
    s = sub.add_parser("sources", help="list the registered sources")
    s.set_defaults(func=_cmd_sources)
    s = sub.add_parser("params", help="show a notebook's parameters")
    s.add_argument("notebook", help="a path, a file name, or a number such as 06")
    s.set_defaults(func=_cmd_params)
    return p


class _StdoutMayClose:
    """Standard output that outlives its reader (``reelib build | head``).

    When the reader goes away, the rest of the output goes to /dev/null and the command
    finishes its work: a build is not left half done because nobody reads its progress.
    """

    def __init__(self, stream):
        self._stream = stream

    def _drop(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())  # also for the flush at interpreter exit
        os.close(devnull)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._drop()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._drop()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``reelib`` command; returns the exit code (see the module doc)."""
    stdout = sys.stdout
    if not isinstance(stdout, _StdoutMayClose):
        sys.stdout = _StdoutMayClose(stdout)
    try:
        return _main(argv)
    finally:
        sys.stdout = stdout


def _terminated(signum, frame) -> None:
    """SIGTERM and SIGINT alike: unwind through every ``finally`` (locks released,
    temporary files removed) and exit 130, in every phase (fetch and clean included)."""
    raise KeyboardInterrupt


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    import signal
    import threading

    previous = {}
    if threading.current_thread() is threading.main_thread():
        # both alike, even when started with SIGINT ignored (a background job, nohup)
        previous = {sig: signal.signal(sig, _terminated)
                    for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return int(args.func(args) or EXIT_OK)
    except ReelibError as exc:
        print(f"reelib {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"reelib {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        import errno as errnos

        name = errnos.errorcode.get(exc.errno or 0, "")
        where = exc.filename or "a file"
        fix = _OS_FIX.get(name, "check the path and run it again")
        print(f"reelib {args.command}: the operating system refused {where}: "
              f"{exc.strerror or exc} ({name or type(exc).__name__}); {fix}. Nothing was "
              "left half-written.", file=sys.stderr)
        return EXIT_OS_ERROR
    except Exception as exc:
        if args.debug:
            raise
        print(f"reelib {args.command}: internal error ({type(exc).__name__}: {exc}). This is "
              "a bug in reelib: rerun with --debug for the traceback and report it.",
              file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
