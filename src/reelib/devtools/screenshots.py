"""Full-page screenshots of built report pages, with headless Chromium.

    python -m reelib.devtools.screenshots [--out DIR] [PAGE ...]

PAGE is a report name (``prices-nd``) or ``index``; by default the pages the README shows
and reviewers compare: the index, the summary, the shares page, the Nd and Dy price pages,
the claims page and the critical-minerals atlas. Each page is opened from ``reports/``
as a browser would open it (a ``file://`` address, no server, no network), drawn in a
1200-pixel-wide window tall enough for the whole page, and cropped below its last
non-white row.

Chromium is found as ``chromium``, ``chromium-browser`` or ``google-chrome`` on PATH (on
Debian: ``apt-get install chromium``); without it the command says so and exits 2.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from reelib import config
from reelib.present import layout

DEFAULT_PAGES = ("index", "summary", "production-shares-rare-earths", "prices-nd", "prices-dy",
                 "claims-check", "critical-minerals-atlas")
OUT_DIR = config.REPORTS_DIR / "screenshots"
WIDTH = 1200
MAX_HEIGHT = 16000
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str | None:
    """The headless browser on PATH, or None."""
    return next((b for b in (shutil.which(n) for n in BROWSERS) if b), None)


def page_path(page: str, reports_dir: Path | None = None) -> Path:
    """``reports/index.html`` or ``reports/<name>/<name>.html``."""
    reports_dir = reports_dir or config.REPORTS_DIR
    return (reports_dir / layout.INDEX_PAGE if page == "index"
            else reports_dir / page / layout.page_file(page))


def crop_blank(png: Path, margin: int = 24) -> tuple[int, int]:
    """Crop the white space below the page's content; return the new size."""
    from PIL import Image, ImageChops

    with Image.open(png) as im:
        rgb = im.convert("RGB")
        box = ImageChops.difference(rgb, Image.new("RGB", rgb.size, "white")).getbbox()
        bottom = min(rgb.height, (box[3] if box else rgb.height) + margin)
        # a 256-colour palette keeps a long page under a megabyte or so (they are committed)
        rgb.crop((0, 0, rgb.width, bottom)).quantize(colors=256).save(png, optimize=True)
        return rgb.width, bottom


def shoot(page: Path, out: Path, chrome: str, height: int = MAX_HEIGHT) -> tuple[int, int]:
    """Screenshot ``page`` into ``out`` (PNG), cropped; return its size."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chrome, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--no-first-run", "--disable-background-networking", "--disable-sync",
                        "--disable-component-update", f"--user-data-dir={profile}",
                        f"--window-size={WIDTH},{height}", f"--screenshot={out}",
                        page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    return crop_blank(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m reelib.devtools.screenshots",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("pages", nargs="*", default=list(DEFAULT_PAGES))
    p.add_argument("--out", type=Path, default=OUT_DIR, help=f"folder (default {OUT_DIR})")
    args = p.parse_args(argv)
    chrome = browser()
    if chrome is None:
        print("no headless browser found (looked for " + ", ".join(BROWSERS) + "); on Debian: "
              "apt-get install chromium", file=sys.stderr)
        return 2
    for page in args.pages:
        path = page_path(page)
        if not path.exists():
            print(f"{page}: {path} not built; run `make reports` first", file=sys.stderr)
            return 2
        w, h = shoot(path, args.out / f"{page}.png", chrome)
        print(f"{args.out / f'{page}.png'}  {w}x{h}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
