"""reelib.processed.pipeline: bad input never half-writes; re-runs are byte-identical; the tables
answer the questions the foundation issue lists."""

import hashlib
import os
import shutil

import pandas as pd
import pytest

from reelib.processed import pipeline as clean
from reelib.exceptions import (EncodingError, MissingColumnError, ReelibError,
                               TruncatedFileError, UnknownCountryError, UnparseableValueError)
from reelib.files.atomic import write_parquet_atomic
from reelib import config
from reelib.processed.reader_cache import CACHE_DIR, ReaderCache
from reelib.sources.registry import load_registry

pytestmark = pytest.mark.slow  # builds every table (reading the sources: about 10 s)


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def reader_cache_dir(tmp_path_factory):
    """A private reader cache seeded with the checkout's entries (hard links; `make test`'s
    build has just brought them up to date). Its frames are the readers' output on the
    current files and code either way: a missing or stale entry is read here, and the
    checkout's cache is never written by a test."""
    out = tmp_path_factory.mktemp("reader-cache")
    for entry in (config.PROCESSED_DIR / CACHE_DIR).glob("*.pickle.gz"):
        try:
            os.link(entry, out / entry.name)
        except FileNotFoundError:  # replaced by a clean meanwhile: read here instead
            pass
    return out


@pytest.fixture(scope="module")
def frames(reader_cache_dir):
    """Every registered source's frames, as ``reelib data`` reads them."""
    return clean.read_all_sources(cache=ReaderCache(reader_cache_dir))


@pytest.fixture(scope="module")
def built(frames):
    return clean.build_tables(frames)


@pytest.fixture(scope="module")
def written(built, tmp_path_factory):
    """The tables written once for the module (each write costs about 4 s)."""
    out = tmp_path_factory.mktemp("written") / "processed"
    clean.write_tables(built, out)
    return out


class TestWriting:
    def test_rerun_on_the_same_inputs_is_byte_identical(self, built, written, tmp_path):
        clean.write_tables(built, tmp_path / "again")
        assert _digests(tmp_path / "again") == _digests(written)

    @pytest.mark.parametrize("source_id", [
        "usgs-mcs-2026",  # four kinds of frame; str, string, Float64, Int64, boolean
        "secondary-baci-critical-materials-trade-2002-2024",  # the largest (345,731 rows)
        "fred-cpiaucsl-2025-11",  # dates
    ])
    def test_the_reader_cache_gives_back_exactly_what_the_reader_gives(self, frames,
                                                                       reader_cache_dir,
                                                                       source_id):
        """A clean from the cache writes the same tables as one that reads the files: the
        cached frames equal a fresh read, values and dtypes (these three sources hold every
        dtype the readers give)."""
        def must_not_read(source):
            raise AssertionError(f"{source.id} was not in the cache after the full read")

        source = load_registry()[source_id]
        cached = ReaderCache(reader_cache_dir).read(source, must_not_read)
        fresh = clean.READERS[source.format](source)
        assert list(cached) == list(fresh)
        for kind in fresh:
            pd.testing.assert_frame_equal(cached[kind], fresh[kind], check_exact=True)

    def test_a_failed_write_leaves_the_previous_file(self, tmp_path):
        path = tmp_path / "t.parquet"
        write_parquet_atomic(pd.DataFrame({"a": [1]}), path)
        before = path.read_bytes()
        with pytest.raises(Exception):
            write_parquet_atomic(pd.DataFrame({"a": [object()]}), path)
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]



class TestBadInputLeavesProcessedTablesUntouched:
    @pytest.fixture
    def out_dir(self, written, tmp_path):
        """A written data/processed of the test's own (a copy: a test may damage it)."""
        return shutil.copytree(written, tmp_path / "processed")

    def test_wrong_encoding(self, out_dir, scratch_copy, monkeypatch):
        bad = scratch_copy("usgs-mcs-2026", "MCS2026_Commodities_Data.csv")
        bad.write_bytes(bad.read_bytes().decode("cp1252").encode("utf-8"))
        real = clean.mcs.read_long_release
        monkeypatch.setattr(clean.mcs, "read_long_release", lambda source: real(source, bad))
        before = _digests(out_dir)
        with pytest.raises(EncodingError):
            clean.clean_all(out_dir)
        assert _digests(out_dir) == before

    @pytest.mark.parametrize("source_id, file, reader, corrupt, error", [
        ("usgs-mcs-2026", "MCS2026_Commodities_Data.csv", "read_long_release",
         lambda b: b[: len(b) // 2], TruncatedFileError),
        ("usgs-mcs-2026", "MCS2026_Commodities_Data.csv", "read_long_release",
         lambda b: b.replace(b",Statistics_detail,", b",Detail,", 1), MissingColumnError),
        ("usgs-mcs-2025", "mcs2025-rare-earths_world_transcribed.csv", "read_mcs2025_world",
         lambda b: b.replace(b",255000,", b",255O00,"), UnparseableValueError),
    ], ids=["truncated file", "renamed column", "unparseable number"])
    def test_corrupt_source_file(self, out_dir, scratch_copy, monkeypatch, source_id, file,
                                 reader, corrupt, error):
        bad = scratch_copy(source_id, file)
        bad.write_bytes(corrupt(bad.read_bytes()))
        real = getattr(clean.mcs, reader)
        monkeypatch.setattr(clean.mcs, reader, lambda *entry: real(*entry, bad))
        before = _digests(out_dir)
        with pytest.raises(error, match=file):
            clean.clean_all(out_dir)
        assert _digests(out_dir) == before

    def test_a_measure_text_the_mapping_does_not_know(self, out_dir, monkeypatch):
        """A next edition that words a measure anew stops the clean with the file, row,
        field and the mapping line to add; nothing in data/processed changes."""
        from reelib.exceptions import UnmappedTextError
        from reelib.readers import measures

        table = dict(measures.measure_table())
        del table[("usgs-mcs-data-release", "Diatomite", "production",
                   "Mine production, diatomite")]
        monkeypatch.setattr(measures, "measure_table", lambda: table)
        before = _digests(out_dir)
        with pytest.raises(UnmappedTextError, match=r"mcs202[34]-diato_world\.csv.*row 2.*"
                           r"usgs_measures\.csv: usgs-mcs-data-release,Diatomite,production"):
            clean.clean_all(out_dir)
        assert _digests(out_dir) == before

    def test_unknown_country(self, out_dir, frames, monkeypatch):
        obs = frames["observations"].copy()
        obs.loc[obs.index[0], "country"] = "Atlantis"
        monkeypatch.setattr(clean, "read_all_sources",
                            lambda cache=None: {**frames, "observations": obs})
        before = _digests(out_dir)
        with pytest.raises(UnknownCountryError, match="Atlantis"):
            clean.clean_all(out_dir)
        assert _digests(out_dir) == before

    def test_duplicate_key(self, out_dir, frames, monkeypatch):
        obs = pd.concat([frames["observations"], frames["observations"].iloc[[0]]],
                        ignore_index=True)
        monkeypatch.setattr(clean, "read_all_sources",
                            lambda cache=None: {**frames, "observations": obs})
        before = _digests(out_dir)
        with pytest.raises(ReelibError, match="duplicated key"):
            clean.clean_all(out_dir)
        assert _digests(out_dir) == before



class TestTablesAnswerTheQuestions:
    def test_china_and_world_mine_production_2018_2025_per_edition(self, built):
        p = built["production"]
        ree = p[(p["commodity"] == "Rare earths") & p["country_iso3"].isin(["CHN", "WLD"])
                & p["year"].between(2018, 2025)]
        got = {(r.edition, r.country_iso3, r.year): r.production_t for r in ree.itertuples()}
        assert got[("MCS 2024", "CHN", 2023)] == 240000
        assert got[("MCS 2025", "CHN", 2023)] == 255000
        assert got[("MCS 2025", "WLD", 2024)] == 390000
        assert got[("MCS 2026", "WLD", 2024)] == 380000
        assert got[("MYB 2022", "WLD", 2018)] == 190000
        assert got[("DS140 2020", "WLD", 2018)] == 190000
        assert {y for (_, c, y) in got if c == "CHN"} == set(range(2018, 2026))

    def test_world_production_1900_2020(self, built):
        p = built["production"]
        w = p[(p["source_id"] == "usgs-ds140-rare-earths-2020") & (p["country_iso3"] == "WLD")]
        assert w["year"].min() == 1900 and w["year"].max() == 2020 and len(w) == 121

    def test_reserves_by_country_per_edition(self, built):
        r = built["reserves"]
        vn = r[(r["country_iso3"] == "VNM") & (r["commodity"] == "Rare earths")]
        vn = vn.set_index("edition")["reserves_t"]
        assert vn.to_dict() == {"MCS 2023": 22e6, "MCS 2024": 22e6, "MCS 2025": 3.5e6,
                                "MCS 2026": 3.5e6}

    def test_every_price_has_a_basis(self, built):
        pr = built["prices_annual"]
        assert set(pr["price_basis"]) == {"annual_average", "yearend_range", "annual_unit_value"}
        assert (pr["source_id"] != "").all() and (pr["edition"] != "").all()

    def test_every_row_carries_source_and_edition(self, built):
        for name in ("production", "reserves", "prices_annual", "trade", "supply_stages"):
            df = built[name]
            assert (df["source_id"] != "").all() and (df["edition"] != "").all(), name

    def test_every_edition_is_the_one_the_registry_gives_its_source(self, built):
        registry = load_registry()
        for name, df in built.items():
            if "source_id" not in df.columns or "edition" not in df.columns:
                continue
            for sid, edition in df.loc[:, ["source_id", "edition"]].drop_duplicates(
                    ).itertuples(index=False):
                source = registry[sid]
                allowed = {source.edition} | set(source.extra.get("edition_dates", {}))
                assert edition in allowed, (name, sid, edition)

    def test_the_cited_chain_shares_are_a_processed_table(self, built):
        chain = built["chain_shares"].set_index("stage")
        assert chain.loc["magnets", "china_share_pct"] == 94
        assert chain.loc["mining", "year"] == 2024
        assert set(chain["source_id"]) == {"secondary-ibtisamkhan96-ree-chain-shares"}

    def test_latest_view_uses_the_newest_edition_per_year(self, built):
        latest = built["production_latest"]
        ree = latest[(latest["commodity"] == "Rare earths")]
        editions = ree.groupby("year")["edition"].unique().map(list).to_dict()
        assert editions[2024] == ["MCS 2026"] and editions[2023] == ["MCS 2025"]
        assert editions[2022] == ["MYB 2022"] and editions[1990] == ["DS140 2020"]

