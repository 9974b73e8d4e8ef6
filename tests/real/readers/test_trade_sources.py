"""The trade and governance sources of the magnet and supply-risk reports (issue 24): the
real files read under their stated rules, and damaged copies that stop the clean naming
file, row, column and value."""

import gzip
import json

import pytest

from reelib.exceptions import (SourceFormatError, TruncatedFileError, UnknownCountryError,
                               UnparseableValueError)
from reelib.readers import baci, comtrade_materials as cm, eu_magnets, wgi


@pytest.fixture(scope="module")
def flows():
    return baci.read_baci()


@pytest.fixture(scope="module")
def lines():
    return cm.read_comtrade_materials()


def test_baci_extract(flows):
    assert len(flows) == 345_731 and flows["year"].min() == 2002 and flows["year"].max() == 2024
    assert flows["material"].nunique() == 32
    magnets = flows[(flows["material"] == "magnets") & (flows["year"] == 2024)]
    assert len(magnets) == 1515 and set(magnets["hs_code"]) == {"850511"}
    assert magnets["exporter_iso3"].nunique() == 145
    top = magnets[(magnets["exporter_iso3"] == "CHN") & (magnets["importer_iso3"] == "DEU")]
    assert float(top["value_usd"].iloc[0]) == 513_918_501
    assert float(top["quantity_t"].iloc[0]) == 12_607
    # tonnes exist only in 2024; vintages switch in 2017; the coverage gap is marked
    assert flows.loc[flows["year"] < 2024, "quantity_t"].isna().all()
    assert set(flows.loc[flows["year"] <= 2016, "hs_vintage"]) == {"HS02"}
    assert set(flows.loc[flows["year"] >= 2017, "hs_vintage"]) == {"HS17"}
    assert flows.loc[flows["year"] == 2017, "lacks_taiwan_namibia"].all()
    assert not flows.loc[flows["year"] == 2018, "lacks_taiwan_namibia"].any()
    assert "TWN" in set(flows.loc[flows["year"] == 2024, "exporter_iso3"])
    assert "TWN" not in set(flows.loc[flows["year"] == 2010, "exporter_iso3"])


def test_comtrade_rules(lines):
    # one row per key after dropping exact duplicates; several distinct lines -> the largest
    assert not lines.duplicated(["year", "reporter_iso3", "partner_iso3", "hs_code", "flow"]).any()
    assert lines["is_ambiguous"].eq(lines["lines_in_key"] > 1).all()
    china = lines[(lines["reporter_iso3"] == "CHN") & (lines["hs_code"] == "850511")
                  & (lines["flow"] == "export") & (lines["year"] == 2024)]
    world = china[china["entity"] == "world"]
    assert float(world["value_usd"].iloc[0]) == pytest.approx(3_236_652_390, rel=1e-6)
    assert not world["is_ambiguous"].iloc[0]
    # China's partner rows add up to its World row: the World row is never among them
    assert china.loc[china["entity"] != "world", "value_usd"].sum() == pytest.approx(
        float(world["value_usd"].iloc[0]), rel=1e-6)
    assert set(lines.loc[lines["entity"] == "residual", "partner_iso3"]) <= {
        "XOC", "XEU", "XAF", "XAM", "XBK", "XFZ", "XSC", "XNS"}
    us = lines[(lines["reporter_iso3"] == "USA")]  # Comtrade's 842, not M49's 840
    assert len(us) > 1000


def test_eu_imports_match_the_notes():
    eu = eu_magnets.read_eu_magnet_imports()
    notes = json.loads(eu_magnets.source_path(eu_magnets.SOURCE_ID, eu_magnets.NOTES)
                       .read_text(encoding="utf-8"))
    for s in notes["series"]:
        rows = eu[eu["year"] == s["year"]]
        total = rows[rows["entity"] == "world"]
        china = rows[rows["origin_iso3"] == "CHN"]
        assert float(china["value_eur"].iloc[0]) / float(total["value_eur"].iloc[0]) == \
            pytest.approx(s["china_value_share"], abs=5e-5)
        assert float(china["quantity_t"].iloc[0]) / float(total["quantity_t"].iloc[0]) == \
            pytest.approx(s["china_quantity_share"], abs=5e-4)
        # the listed origins and the unlisted rest add up to the total
        assert rows.loc[rows["entity"] != "world", "value_eur"].sum() == pytest.approx(
            float(total["value_eur"].iloc[0]))
    assert eu.loc[eu["is_provisional"], "year"].unique().tolist() == [2025]


def test_governance_scores():
    g = wgi.read_wgi()
    assert len(g) == 207 and g["wgi_mean"].between(-2.5, 2.5).all()
    codes = set(g["country_iso3"])
    assert {"CHN", "GBR", "GRC", "NAM", "MMR"} <= codes  # GB/GR/NA need the project's table
    assert "TWN" not in codes  # no score: pages show it as missing, never as zero


def _bad_json(scratch_copy, name, edit):
    path = scratch_copy(baci.SOURCE_ID, name)
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, error, match", [
    (lambda d: d["materials"]["magnets"][0].update(to="ZZ"), UnknownCountryError,
     r"column 'to'.*ZZ.*iso2_codes"),
    (lambda d: d["materials"]["magnets"][0].update(value=-5), UnparseableValueError,
     r"magnets.*value"),
    (lambda d: d["materials"]["magnets"].append(dict(d["materials"]["magnets"][0])),
     SourceFormatError, r"listed twice.*magnets CHN->DEU"),
    (lambda d: d["materials"].update(unobtainium=[]), SourceFormatError, r"unobtainium"),
    (lambda d: d.update(materials={"magnets": d["materials"]["magnets"][:50]}),
     SourceFormatError, r"a cut file"),
], ids=["country", "value", "duplicate", "material", "cut"])
def test_a_damaged_baci_year_is_refused(scratch_copy, edit, error, match):
    path = _bad_json(scratch_copy, "flows_2024.json", edit)
    codes = dict(zip(*baci.read_crosswalk()[["material", "hs_code"]].T.to_numpy()))
    with pytest.raises(error, match=match):
        baci.read_flows_year(path, codes)


def _bad_gzip(scratch_copy, edit):
    path = scratch_copy(cm.SOURCE_ID, "comtrade_2024.csv.gz")
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    path.write_bytes(gzip.compress(edit(text).encode("utf-8")))
    return path


@pytest.mark.parametrize("edit, error, match", [
    (lambda t: t.replace("68,604,250490,M,541.0", "68,604,250490,Q,541.0", 1),
     UnparseableValueError, r"row 2.*flow.*Q"),
    (lambda t: t.replace("68,604,250490,M,541.0", "68,604,250490,M,-541.0", 1),
     UnparseableValueError, r"row 2.*value/netwgt"),
    (lambda t: t.replace("68,604,250490,M,541.0", "68,9999,250490,M,541.0", 1),
     UnknownCountryError, r"partner.*9999.*comtrade_codes"),
    (lambda t: t + "\n".join(t.splitlines()[1:] * 2) + "\n", SourceFormatError,
     r"8\d% of lines are exact duplicates"),
    (lambda t: "\n".join(t.splitlines()[:1000]) + "\n", TruncatedFileError, r"999 lines"),
], ids=["flow", "value", "code", "duplicates changed", "cut"])
def test_a_damaged_comtrade_file_is_refused(scratch_copy, edit, error, match):
    with pytest.raises(error, match=match):
        cm.read_comtrade_lines(_bad_gzip(scratch_copy, edit), 2024)


def test_a_truncated_gzip_is_refused(scratch_copy):
    path = scratch_copy(cm.SOURCE_ID, "comtrade_2022.csv.gz")
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(TruncatedFileError, match="gzip"):
        cm.read_comtrade_lines(path, 2022)


@pytest.mark.parametrize("change, error, match", [
    (lambda t: t.replace("2024,CN,727661958,18246.4,0.9272", "2024,CN,727661958,18246.4,0.8272"),
     SourceFormatError, r"row 10.*value_share"),
    (lambda t: t.replace("2023,PH,", "2023,QQ,"), UnknownCountryError, r"origin.*QQ"),
    (lambda t: t.replace("2025,MY,1781976,18.1,0.0023,769223385,20851.4\n", ""),
     SourceFormatError, r"7 origins listed for 2025"),
], ids=["share", "origin", "origins"])
def test_a_damaged_eu_file_is_refused(scratch_copy, change, error, match):
    path = scratch_copy(eu_magnets.SOURCE_ID, eu_magnets.FILE)
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(error, match=match):
        eu_magnets.read_eu_magnet_imports(
            path, notes=eu_magnets.source_path(eu_magnets.SOURCE_ID, eu_magnets.NOTES))


def test_a_score_out_of_range_is_refused(scratch_copy):
    path = scratch_copy(wgi.SOURCE_ID, wgi.FILE)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["wgi"]["CN"] = 7.5
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(UnparseableValueError, match=r"row CN.*7.5"):
        wgi.read_wgi(path)
