"""reelib.readers.comtrade and usitc on the real responses and workbooks."""

import json

import pytest

from reelib.readers import comtrade as comtrade_reader
from reelib.readers import usitc
from reelib.exceptions import SourceFormatError, TruncatedFileError


@pytest.fixture(scope="module")
def comtrade():
    return comtrade_reader.read_comtrade()


@pytest.fixture(scope="module")
def imports():
    return usitc.read_usitc("import")



def test_comtrade_partners_add_up_to_world(comtrade):
    for year, g in comtrade.groupby("year"):
        world = g.loc[g["partner"] == "World", "value_usd"].item()
        partners = g.loc[g["partner"] != "World", "value_usd"].sum()
        assert abs(world - partners) <= max(1.0, 1e-9 * world), year



def test_comtrade_2024_world_value_and_weight(comtrade):
    w = comtrade[(comtrade["year"] == 2024) & (comtrade["partner"] == "World")].iloc[0]
    assert w["value_usd"] == 1386613152.0 and w["value_basis"] == "CIF"
    assert w["quantity_kg"] == pytest.approx(77025454.404) and w["is_quantity_estimated"]
    early = comtrade[comtrade["year"] == 1995]
    assert early["quantity_kg"].isna().all()  # no weights before 2000



def test_comtrade_count_mismatch_is_truncation(tmp_path, raw):
    doc = json.loads(raw(comtrade_reader.COMTRADE_ID, "2024.json").read_text())
    doc["data"] = doc["data"][:10]
    path = tmp_path / "2024.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(TruncatedFileError, match="count"):
        comtrade_reader.read_comtrade_year(path)



def test_comtrade_export_record_is_refused(tmp_path, raw):
    doc = json.loads(raw(comtrade_reader.COMTRADE_ID, "2024.json").read_text())
    doc["data"][3]["flowCode"] = "X"
    path = tmp_path / "2024.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SourceFormatError, match="row 3"):
        comtrade_reader.read_comtrade_year(path)



def test_usitc_imports_of_compounds_from_china(imports):
    cn = imports[(imports["partner"] == "China") & (imports["hs_code"] == "2846")
                 & (imports["period"] == "annual")].set_index("year")
    assert cn.loc[2024, "value_usd"] == 112644992 and cn.loc[2024, "quantity_kg"] == 10240357
    assert 2026 not in cn.index  # the annual 2026 column is not yet published
    ytd = imports[(imports["partner"] == "China") & (imports["hs_code"] == "2846")
                  & (imports["period"] == "Jan-Apr") & (imports["year"] == 2026)]
    assert ytd["value_usd"].item() == 96366817



def test_usitc_magnet_quantity_covers_only_kg_lines(imports):
    m = imports[(imports["partner"] == "China") & (imports["hs_code"] == "8505")
                & (imports["year"] == 2024) & (imports["period"] == "annual")].iloc[0]
    assert m["value_usd_kg_measured"] < m["value_usd"]



def test_usitc_keeps_only_rare_earth_headings(imports):
    assert set(imports["hs_code"]) == {"2846", "2805", "8505"}
    assert imports["partner"].nunique() == 18

