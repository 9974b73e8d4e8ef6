"""Which traded good stands for which USGS commodity-measure (``trade_materials.csv``).

The BACI extract has one HS6 code per material. Each row pairs an atlas commodity-measure
with that code and says how the two relate (``relation``):

* ``same form``: the code is the good the measure counts (manganese ore, refined copper);
* ``processed form``: a refined or processed product of the mined commodity, so its
  exporters are the processors (cobalt oxides for cobalt mine output);
* ``shared code``: the code also holds other materials (gallium with germanium...);
* ``downstream product``: a later stage of the chain (magnets for rare-earth mining).

A commodity-measure not in the file has no code in the extract, and pages say so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from reelib.exceptions import SourceFormatError

FILE = Path(__file__).with_name("trade_materials.csv")
RELATIONS = ("same form", "processed form", "shared code", "downstream product")
COLUMNS = ["commodity", "measure", "material", "relation", "traded_form", "note"]
#: the reason a commodity-measure without a row shows
NO_CODE = "no HS code for it in the trade extract"


@lru_cache(maxsize=1)
def load_trade_materials(path: Path = FILE) -> pd.DataFrame:
    """The pairs, checked: known relation, one row per commodity-measure, no blank cells
    but ``note``. Errors name the file, row and column."""
    df = pd.read_csv(path, dtype="string", keep_default_na=False)
    if list(df.columns) != COLUMNS:
        raise SourceFormatError(path, f"columns must be {COLUMNS}", column="(header)",
                                value=list(df.columns))
    for i, r in df.iterrows():
        for col in COLUMNS[:-1]:
            if not str(r[col]).strip():
                raise SourceFormatError(path, "empty cell", row=i + 2, column=col)
        if r["relation"] not in RELATIONS:
            raise SourceFormatError(path, f"relation must be one of {RELATIONS}", row=i + 2,
                                    column="relation", value=r["relation"])
    dup = df.duplicated(["commodity", "measure"])
    if dup.any():
        i = int(dup.idxmax())
        raise SourceFormatError(path, "a commodity-measure listed twice", row=i + 2,
                                column="measure", value=f"{df['commodity'][i]}: "
                                                        f"{df['measure'][i]}")
    return df
