"""The project's own trade tables: which code stands for which commodity, and the
press-reported 2025 magnet exports (every used row cited)."""

import pytest

from reelib.exceptions import SourceFormatError
from reelib.reference import magnet_exports, trade_materials


def test_the_pairs_load_and_use_known_relations():
    df = trade_materials.load_trade_materials()
    assert set(df["relation"]) <= set(trade_materials.RELATIONS)
    ree = df[df["commodity"] == "Rare earths"].iloc[0]
    assert ree["material"] == "magnets" and ree["relation"] == "downstream product"


def test_every_used_press_figure_is_cited_and_the_unused_one_says_why():
    df = magnet_exports.load_magnet_exports()
    used = df[df["used"]]
    assert used["url"].str.startswith("https://").all() and (used["outlet"] != "").all()
    assert (df.loc[~df["used"], "reason"] != "").all()
    assert set(df["period_kind"]) == {"month", "year to date"}


@pytest.mark.parametrize("edit, match", [
    (lambda t: t.replace("downstream product", "upstream"), r"row 2.*relation"),
    (lambda t: t + t.splitlines()[1] + "\n", r"listed twice"),
], ids=["relation", "duplicate"])
def test_a_bad_pairs_table_is_refused(tmp_path, edit, match):
    bad = tmp_path / "trade_materials.csv"
    bad.write_text(edit(trade_materials.FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=match):
        trade_materials.load_trade_materials.__wrapped__(bad)


@pytest.mark.parametrize("edit, match", [
    (lambda t: t.replace("https://www.automotiveworld.com/news/chinese-rare-earth-exports-"
                         "collapsed-74-yoy-in-may/", ""), r"row 2.*outlet and address"),
    (lambda t: t.replace("2025-05-01,2025-05-31,WLD,1238", "2025-05-31,2025-05-01,WLD,1238"),
     r"row 2.*ends before"),
    (lambda t: t.replace('"one outlet only, and its own month-on-month rate does not fit this '
                         'figure; no second source"', ''), r"needs its reason"),
], ids=["citation", "dates", "reason"])
def test_a_bad_press_table_is_refused(tmp_path, edit, match):
    bad = tmp_path / "magnet_exports_2025.csv"
    bad.write_text(edit(magnet_exports.FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=match):
        magnet_exports.load_magnet_exports.__wrapped__(bad)
