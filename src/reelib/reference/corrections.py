"""Apply the published corrections in ``reference/corrections.yaml`` to a raw frame.

A correction names one row (by exact cell text), the column, the value it expects and the
replacement, with a reason and a citation. Applying it returns a new frame whose corrected
rows carry ``correction_id``; a correction that no longer matches exactly one row with its
expected old value raises ``StaleCorrectionError`` instead of passing silently.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import StaleCorrectionError
from reelib.files import yamltext

CORRECTIONS_FILE: Path = config.REFERENCE_DIR / "corrections.yaml"


@lru_cache(maxsize=1)
def load_corrections() -> tuple[dict, ...]:
    """Return every correction entry (dicts with id, source_id, file, match, ...)."""
    doc = yamltext.safe_load(CORRECTIONS_FILE.read_text(encoding="utf-8"))
    return tuple(doc["corrections"])


def apply_corrections(df: pd.DataFrame, source_id: str, file_name: str, *,
                      path: Path | str | None = None) -> pd.DataFrame:
    """Return ``df`` (all-string cells) with this file's corrections applied.

    Adds a ``correction_id`` column (empty string where no correction applied).
    """
    out = df.assign(correction_id="")
    for c in load_corrections():
        if c["source_id"] != source_id or c["file"] != file_name:
            continue
        mask = pd.Series(True, index=out.index)
        for col, val in c["match"].items():
            if col not in out.columns:
                raise StaleCorrectionError(path or file_name, f"correction {c['id']} matches on "
                                           "a column the file lacks", column=col)
            mask &= out[col].astype(str).str.strip() == str(val)
        hits = out.index[mask]
        if len(hits) != 1:
            raise StaleCorrectionError(path or file_name, f"correction {c['id']} matches "
                                       f"{len(hits)} rows, expected exactly 1",
                                       fix=f"update {CORRECTIONS_FILE.name}")
        current = str(out.at[hits[0], c["column"]]).strip()
        if " ".join(current.split()) != " ".join(str(c["old"]).split()):
            raise StaleCorrectionError(path or file_name, f"correction {c['id']} expects "
                                       f"{c['old']!r}", row=int(hits[0]) + 2,
                                       column=c["column"], value=current,
                                       fix="the source changed: review the correction")
        out.loc[hits[0], c["column"]] = " ".join(str(c["new"]).split())
        out.loc[hits[0], "correction_id"] = c["id"]
    return out


def describe_corrections(source_id: str, column: str = "Value",
                         chapter: str | None = None) -> str:
    """The published corrections of a source's values in words, for a page that shows a
    corrected figure: "Brazil reserves 21,000,000 -> 11,000,000; ... (citation)"."""
    picked = [c for c in load_corrections() if c["source_id"] == source_id
              and c["column"] == column
              and (chapter is None or c["match"].get("MCS chapter") == chapter)]
    if not picked:
        return ""
    parts = [f"{c['match'].get('Country', '')} {c['match'].get('Statistics', '').lower()} "
             f"{c['old']} -> {c['new']}".strip() for c in picked]
    cites = sorted({c["citation"] for c in picked})
    return f"{'; '.join(parts)} ({'; '.join(cites)})"
