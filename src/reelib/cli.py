"""The ``reelib`` command: fetch sources, clean them, build reports.

    reelib fetch [SOURCE_ID ...]   materialise data/raw from the mirror or the URLs
    reelib clean                   build and validate data/processed
    reelib data                    fetch + clean
    reelib build [REPORT ...]      fetch + clean + every report (or the named ones)
    reelib sources                 list the registered sources
    reelib params NOTEBOOK         show a notebook's parameters

Errors the project detects (``ReelibError``) are printed as one clear line and exit 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from reelib import config
from reelib.exceptions import ReelibError

log = logging.getLogger("reelib")


def _cmd_fetch(args: argparse.Namespace) -> None:
    from reelib.sources.fetch import fetch_sources

    t0 = time.perf_counter()
    paths = fetch_sources(args.source_ids or None, allow_download=not args.offline)
    print(f"fetch: {len(paths)} files verified in {config.RAW_DIR} "
          f"({time.perf_counter() - t0:.1f} s)")


def _cmd_clean(args: argparse.Namespace) -> None:
    from reelib.processed.pipeline import clean_all

    t0 = time.perf_counter()
    built = clean_all()
    rows = ", ".join(f"{k} {len(v):,}" for k, v in built.items())
    print(f"clean: wrote {len(built)} tables to {config.PROCESSED_DIR} "
          f"({time.perf_counter() - t0:.1f} s): {rows}")


def _cmd_data(args: argparse.Namespace) -> None:
    _cmd_fetch(argparse.Namespace(source_ids=[], offline=args.offline))
    _cmd_clean(args)


def _cmd_build(args: argparse.Namespace) -> int:
    from reelib.build.schedule import build_reports

    if not args.skip_data:
        _cmd_data(args)
    result = build_reports(names=args.reports or None, force=args.force, jobs=args.jobs)
    return 0 if result.ok else 1


def _cmd_sources(args: argparse.Namespace) -> None:
    from reelib.sources.registry import load_registry

    for sid, s in load_registry().items():
        print(f"{sid:58s} {s.kind:9s} {s.edition:32s} {len(s.files):3d} file(s)  {s.licence}")


def _cmd_params(args: argparse.Namespace) -> None:
    from reelib.build.parameters import notebook_parameters

    for p in notebook_parameters(args.notebook).values():
        print(f"{p['name']}: {p['type']} = {p['default']}   # {p['help']}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``reelib`` command."""
    parser = argparse.ArgumentParser(prog="reelib", description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("fetch", help="materialise data/raw (sha256-checked)")
    p.add_argument("source_ids", nargs="*", help="registered source ids (default: all)")
    p.add_argument("--offline", action="store_true", help="use the mirror only, never download")
    p.set_defaults(func=_cmd_fetch)
    p = sub.add_parser("clean", help="build and validate data/processed")
    p.set_defaults(func=_cmd_clean)
    p = sub.add_parser("data", help="fetch + clean")
    p.add_argument("--offline", action="store_true", help="use the mirror only, never download")
    p.set_defaults(func=_cmd_data)
    p = sub.add_parser("build", help="fetch + clean + reports")
    p.add_argument("reports", nargs="*", help="report names from notebooks/reports.yaml")
    p.add_argument("--force", action="store_true", help="rebuild reports even if unchanged")
    p.add_argument("--skip-data", action="store_true", help="do not fetch and clean first")
    p.add_argument("--offline", action="store_true", help="use the mirror only, never download")
    p.add_argument("-j", "--jobs", type=int, default=2, help="notebooks run in parallel")
    p.set_defaults(func=_cmd_build)
    p = sub.add_parser("sources", help="list the registered sources")
    p.set_defaults(func=_cmd_sources)
    p = sub.add_parser("params", help="show a notebook's parameters")
    p.add_argument("notebook")
    p.set_defaults(func=_cmd_params)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        code = args.func(args)
    except ReelibError as exc:
        print(f"reelib {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
