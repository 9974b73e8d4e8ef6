"""Reader for UN Comtrade extracts of 31 critical-material HS6 codes, 2022 and 2024.

``un-comtrade-critical-materials-2022-2024`` holds one gzipped CSV per year
(``reporter,partner,cmd,flow,value,netwgt``): every reporter and partner, imports (CIF) and
exports (FOB) in USD, net weight in kg where reported. Numeric codes are UN Comtrade's
(842 U.S., 699 India, 490 Taiwan; 0 = World).

The stated rules, each with a count the reader checks:

1. **Exact duplicates** (every field equal) are one line printed twice: dropped.
2. **Several lines for one key** (reporter, partner, code, flow) remain where the API gave
   breakdowns (by customs procedure, mode of transport, second partner) whose columns the
   extract did not keep; a total and its parts cannot be told apart, so the **largest line**
   is taken (a total is never smaller than a part) and the key is flagged ``is_ambiguous``.
3. **Partner 'World'** (code 0) is kept as the reporter's own total, entity ``world``;
   partner rows are ``country`` rows and are never summed together with it.
4. **Mirror gaps**: a flow's reporter figure and its partner's mirror figure are both kept
   as published; ``reelib.analysis.magnets.mirror_gaps`` compares them.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd

from reelib.exceptions import SourceFormatError, TruncatedFileError, UnparseableValueError
from reelib.readers.decode import read_csv_text, require_columns
from reelib.readers.shapes import TRADE_LINES, shaped
from reelib.reference.countries import iso3_codes
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "un-comtrade-critical-materials-2022-2024"
COLUMNS = ["reporter", "partner", "cmd", "flow", "value", "netwgt"]
#: lines each file has at least (2022: 166,616; 2024: 164,831): fewer means a cut copy
MIN_LINES = 150_000
#: exact duplicates per file lie in this range (2022: 90,093; 2024: 90,083); outside it the
#: extract changed and the rule needs a look
DUPLICATE_SHARE = (0.4, 0.65)
FILES = {2022: "comtrade_2022.csv.gz", 2024: "comtrade_2024.csv.gz"}


def _read_lines(path: Path) -> pd.DataFrame:
    try:
        text = gzip.decompress(Path(path).read_bytes()).decode("utf-8")
    except (OSError, EOFError) as exc:
        raise TruncatedFileError(path, f"not a complete gzip file ({exc})",
                                 fix="re-fetch it: `reelib fetch` checks the sha256") from exc
    raw = read_csv_text(text, path)
    require_columns(raw, COLUMNS, path)
    return raw


def read_comtrade_lines(path: Path, year: int) -> pd.DataFrame:
    """One year's file under the rules above: one row per key, the counts kept."""
    raw = _read_lines(path)
    if len(raw) < MIN_LINES:
        raise TruncatedFileError(path, f"{len(raw):,} lines; the extract has more than "
                                 f"{MIN_LINES:,}", fix="re-fetch it: `reelib fetch`")
    for col in ("reporter", "partner", "cmd"):
        bad = ~raw[col].str.fullmatch(r"\d+")
        if bad.any():
            raise UnparseableValueError(path, "not a numeric code", row=int(bad.idxmax()) + 2,
                                        column=col, value=raw[col][bad].iloc[0])
    bad = ~raw["flow"].isin(["M", "X"])
    if bad.any():
        raise UnparseableValueError(path, "flow is neither M nor X",
                                    row=int(bad.idxmax()) + 2, column="flow",
                                    value=raw["flow"][bad].iloc[0])
    value = pd.to_numeric(raw["value"], errors="coerce")
    weight = pd.to_numeric(raw["netwgt"].replace("", pd.NA), errors="coerce")
    bad = value.isna() | (value < 0) | (weight < 0).fillna(False) | (
        weight.isna() & raw["netwgt"].ne(""))
    if bad.any():
        i = int(bad.idxmax())
        raise UnparseableValueError(path, "value or net weight is not a non-negative number",
                                    row=i + 2, column="value/netwgt",
                                    value=f"{raw['value'][i]} / {raw['netwgt'][i]}")
    lines = raw.assign(value=value, netwgt=weight)
    exact = lines.duplicated()
    share = exact.mean()
    if not DUPLICATE_SHARE[0] <= share <= DUPLICATE_SHARE[1]:
        raise SourceFormatError(path, f"{share:.0%} of lines are exact duplicates; the extract "
                                f"had {DUPLICATE_SHARE[0]:.0%}-{DUPLICATE_SHARE[1]:.0%}",
                                column="(all)", value=int(exact.sum()),
                                fix="check the duplicate rule in "
                                    "reelib/readers/comtrade_materials.py")
    lines = lines[~exact]
    key = ["reporter", "partner", "cmd", "flow"]
    n = lines.groupby(key, sort=False)["value"].transform("size")
    top = lines.sort_values("value", ascending=False, kind="mergesort").drop_duplicates(key)
    top = top.assign(lines_in_key=n.loc[top.index].astype("Int64"))
    out = pd.DataFrame({
        "year": year,
        "reporter_iso3": iso3_codes(top["reporter"], "numeric", file=path, column="reporter"),
        "partner_iso3": iso3_codes(top["partner"], "numeric", file=path, column="partner"),
        "hs_code": top["cmd"], "flow": top["flow"].map({"M": "import", "X": "export"}),
        "value_usd": top["value"], "net_weight_kg": top["netwgt"],
        "lines_in_key": top["lines_in_key"], "is_ambiguous": top["lines_in_key"] > 1,
        "value_basis": top["flow"].map({"M": "CIF", "X": "FOB"}),
        "file": Path(path).name,
    })
    out["entity"] = "country"
    out.loc[out["partner_iso3"].str.startswith("X"), "entity"] = "residual"  # 'Areas, nes'...
    out.loc[out["partner_iso3"].eq("WLD"), "entity"] = "world"
    out.attrs["exact_duplicates"] = int(exact.sum())
    return out


def read_comtrade_materials(raw_dir: Path | None = None) -> pd.DataFrame:
    """Both years into one table: one row per year, reporter, partner, HS code and flow."""
    frames = []
    for year, name in FILES.items():
        path = raw_dir / name if raw_dir else source_path(SOURCE_ID, name)
        frames.append(read_comtrade_lines(path, year))
    df = pd.concat(frames, ignore_index=True)
    return shaped(df.assign(source_id=SOURCE_ID, edition=edition_of(SOURCE_ID)), TRADE_LINES)
