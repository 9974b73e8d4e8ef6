"""Readers for daily price series.

* ``read_china_domestic``: daily Chinese domestic quotes (min/max/avg) of Nd, Ce, La and
  Pr oxide, 2013-2024, Chinese headers. Units are not stated by the compiler; following
  PROVENANCE.md, Nd and Pr are read as 10,000 CNY/t (x10 -> CNY/kg) and Ce and La as
  CNY/kg, and every row says the unit is inferred. Days whose average lies outside
  [min, max] are flagged (``is_range_inconsistent``), never dropped.
* ``read_komis``: KOMIS daily FOB China quotes of Nd oxide (99.5%) and Ce oxide (99%),
  USD/kg, 2024-2026, Korean labels. Mn and Bi series in the same file are skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.exceptions import MissingColumnError, SourceFormatError
from reelib.readers.decode import read_csv_text, read_json, read_text, require_columns
from reelib.readers.shapes import DAILY_PRICES, shaped
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

CHINA_ID = "china-domestic-reo-prices-daily-2013-2024"
CHINA_FILE = "xitu-jiage_rare-earth-prices.csv"
KOMIS_ID = "komis-minor-metal-prices-daily-2024-2026"

#: Chinese header prefix -> (element, product, CNY/kg per published unit, published unit)
CHINA_SERIES = {
    "氧化钕": ("Nd", "Neodymium oxide", 10.0, "10,000 CNY/t (inferred)"),
    "氧化镨": ("Pr", "Praseodymium oxide", 10.0, "10,000 CNY/t (inferred)"),
    "氧化铈": ("Ce", "Cerium oxide", 1.0, "CNY/kg (inferred)"),
    "氧化镧": ("La", "Lanthanum oxide", 1.0, "CNY/kg (inferred)"),
}
_STATS = {"最低价": "min", "最高价": "max", "平均价": "avg"}
#: KOMIS label -> (element, product)
KOMIS_SERIES = {"네오디뮴 (Nd)": ("Nd", "Neodymium oxide"), "세륨 (Ce)": ("Ce", "Cerium oxide")}

def read_china_domestic(path: Path | None = None) -> pd.DataFrame:
    """Read the daily Chinese domestic oxide prices into long rows, CNY per kg."""
    path = path or source_path(CHINA_ID, CHINA_FILE)
    raw = read_csv_text(read_text(path, "utf-8", expect="日期"), path)
    expected = ["日期"] + [f"{p}{s}" for p in CHINA_SERIES for s in _STATS]
    require_columns(raw, expected, path)
    dates = pd.to_datetime(raw["日期"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        i = int(dates.isna().to_numpy().nonzero()[0][0])
        raise SourceFormatError(path, "not a YYYY-MM-DD date", row=i + 2, column="日期",
                                value=raw["日期"].iloc[i])
    if dates.duplicated().any():
        i = int(dates.duplicated().to_numpy().nonzero()[0][0])
        raise SourceFormatError(path, "date appears twice", row=i + 2, column="日期",
                                value=raw["日期"].iloc[i])
    frames = []
    for prefix, (element, product, factor, unit) in CHINA_SERIES.items():
        vals = {}
        for zh, stat in _STATS.items():
            col = f"{prefix}{zh}"
            num = pd.to_numeric(raw[col], errors="coerce")
            bad = num.isna() & raw[col].str.strip().ne("")
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise SourceFormatError(path, "not a number", row=i + 2, column=col,
                                        value=raw[col].iloc[i])
            vals[stat] = num * factor
        inconsistent = (vals["min"] > vals["avg"]) | (vals["avg"] > vals["max"]) | (
            vals["min"] > vals["max"])
        frames.append(pd.DataFrame({
            "source_row": range(2, len(raw) + 2), "element": element, "product": product,
            "date": dates, "price_cny_per_kg": vals["avg"], "price_low_cny_per_kg": vals["min"],
            "price_high_cny_per_kg": vals["max"], "unit_original": unit,
            "is_range_inconsistent": inconsistent.fillna(False),
        }))
    return shaped(pd.concat(frames, ignore_index=True).assign(
        source_id=CHINA_ID, edition=edition_of(CHINA_ID), file=CHINA_FILE,
        grade="not stated", market="China domestic (VAT status not stated)",
        price_usd_per_kg=pd.NA, is_unit_inferred=True), DAILY_PRICES)


def read_komis(path: Path | None = None) -> pd.DataFrame:
    """Read the KOMIS daily FOB China Nd and Ce oxide prices (USD/kg)."""
    path = path or source_path(KOMIS_ID, "prices.json")
    doc = read_json(path)
    if "metals" not in doc:
        raise MissingColumnError(path, "no 'metals' list", column="metals")
    rows = []
    found = set()
    for k, metal in enumerate(doc["metals"]):
        if metal.get("name") not in KOMIS_SERIES:
            continue  # manganese and bismuth: not rare earths
        element, product = KOMIS_SERIES[metal["name"]]
        found.add(metal["name"])
        unit = (metal.get("today") or {}).get("unit", "")
        if unit != "USD/kg":
            raise SourceFormatError(path, "unexpected unit", row=f"metals[{k}]", column="unit",
                                    value=unit)
        for i, point in enumerate(metal["history"]):
            date = pd.to_datetime(point.get("date"), format="%Y.%m.%d", errors="coerce")
            value = point.get("value")
            if pd.isna(date) or not isinstance(value, (int, float)):
                raise SourceFormatError(path, "history point is not (YYYY.MM.DD, number)",
                                        row=f"metals[{k}].history[{i}]", value=point)
            rows.append(dict(source_row=i, element=element, product=product,
                             grade=metal["grade"], date=date, price_usd_per_kg=float(value)))
    missing = sorted(set(KOMIS_SERIES) - found)
    if missing:
        raise MissingColumnError(path, f"series {missing[0]!r} is missing", column=missing[0])
    df = pd.DataFrame(rows)
    if df.duplicated(["element", "date"]).any():
        dup = df[df.duplicated(["element", "date"])].iloc[0]
        raise SourceFormatError(path, "date appears twice", row=dup["source_row"],
                                column=dup["element"], value=str(dup["date"].date()))
    return shaped(df.assign(
        source_id=KOMIS_ID, edition=edition_of(KOMIS_ID),
        file="prices.json", market="FOB China", price_cny_per_kg=pd.NA,
        price_low_cny_per_kg=pd.NA, price_high_cny_per_kg=pd.NA, unit_original="USD/kg",
        is_unit_inferred=False, is_range_inconsistent=False), DAILY_PRICES)
