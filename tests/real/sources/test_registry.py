"""reelib.sources.registry on the real registry, PROVENANCE.md and mirror."""

from pathlib import Path

import pytest

from reelib import config
from reelib.exceptions import RegistryError
from reelib.sources.fetch import fetch_sources
from reelib.sources.registry import load_registry


class TestLoadRegistry:
    def test_every_source_in_provenance_used_by_the_project_is_registered(self):
        registry = load_registry()
        assert {"usgs-mcs-2026", "usgs-mcs-2025", "usgs-mcs-2024-data-release",
                "usgs-mcs-2023-data-release", "usgs-mcs-2022-data-release-selected",
                "usgs-myb-2022-rare-earths",
                "usgs-ds140-rare-earths-2020",
                "usgs-mcs-2016-2019-2021-rare-earths-prices-transcribed",
                "un-comtrade-china-imports-hs2846", "usitc-dataweb-us-trade-1993-2026",
                "iea-critical-minerals-dataset-2025-extract",
                "china-domestic-reo-prices-daily-2013-2024",
                "komis-minor-metal-prices-daily-2024-2026",
                "fred-cpiaucsl-2025-11"} <= set(registry)
        for s in registry.values():
            assert s.publisher and s.edition and s.licence and s.kind in ("primary", "secondary")
            assert s.doi or s.landing_url

    def test_pinned_hashes_match_provenance(self):
        registry = load_registry()
        assert registry["usgs-mcs-2026"].file("MCS2026_Commodities_Data.csv").sha256 == (
            "582a0aa231aea53d8a97dc8d1cd3dfa5f885cf3760353e3d029d7f0ae4fbaaf5")
        assert registry["usgs-ds140-rare-earths-2020"].files[0].sha256 == (
            "0aed33ac422b49ec77b7c550d0e53e57a59b5a38ae315ea37d8e1088fc0bb85f")

    def test_a_malformed_hash_is_a_registry_error(self, tmp_path):
        bad = tmp_path / "registry.yaml"
        bad.write_text("sources:\n- id: x\n  publisher: p\n  title: t\n  edition: e\n"
                       "  licence: l\n  kind: primary\n  files:\n  - name: f\n"
                       "    sha256: abc\n    download_url: null\n")
        with pytest.raises(RegistryError, match="64 lowercase hex"):
            load_registry(bad)

    def test_unknown_source_id_is_refused(self):
        with pytest.raises(RegistryError, match="unknown source id"):
            fetch_sources(["no-such-source"])



def test_fetch_sources_from_the_real_mirror_verifies_every_registered_file(tmp_path):
    mirror = config.mirror_dir()
    if mirror is None:
        pytest.skip("no mirror beside the checkout")
    paths = fetch_sources(mirror=mirror, raw_dir=tmp_path, allow_download=False)
    registry = load_registry()
    listed = {sid: len((mirror / sid / s.checksums).read_text().splitlines())
              for sid, s in registry.items() if s.checksums}
    assert len(paths) == sum(len(s.files) for s in registry.values()) + sum(listed.values())
    assert all(Path(p).is_file() for p in paths)


PINNED = "usgs-mcs-2022-data-release-selected"


@pytest.fixture
def pinned_copy(tmp_path):
    """A writable copy of a pinned release folder in a mirror of its own; returns the
    copy's mirror root and the source id."""
    import shutil

    mirror = config.mirror_dir()
    if mirror is None:
        pytest.skip("no mirror beside the checkout")
    copy = tmp_path / "mirror"
    shutil.copytree(mirror / PINNED, copy / PINNED)
    return copy, PINNED


def test_a_pinned_folder_with_a_changed_file_is_refused(tmp_path, pinned_copy):
    """A folder pinned by its SHA256SUMS: a changed listed file is refused like a file,
    and nothing appears under its final name."""
    from reelib.exceptions import HashMismatchError

    copy, sid = pinned_copy
    victim = copy / sid / "mcs2022-raree_world.csv"
    victim.write_bytes(victim.read_bytes().replace(b"43000", b"44000", 1))
    raw = tmp_path / "raw"
    with pytest.raises(HashMismatchError, match="mcs2022-raree_world.csv") as caught:
        fetch_sources([sid], mirror=copy, raw_dir=raw, allow_download=False)
    assert caught.value.path == victim  # the mirror's file, which the user can fix
    assert not (raw / sid / "mcs2022-raree_world.csv").exists()


def test_a_damaged_checksums_file_is_refused(tmp_path, pinned_copy):
    from reelib.exceptions import HashMismatchError

    copy, sid = pinned_copy
    sums = copy / sid / "SHA256SUMS"
    sums.write_text(sums.read_text().replace("mcs2022-raree_world.csv", "../../etc/passwd"))
    with pytest.raises(HashMismatchError, match="SHA256SUMS"):
        fetch_sources([sid], mirror=copy, raw_dir=tmp_path / "raw", allow_download=False)



def test_without_the_mirror_one_message_names_what_needs_the_archive(tmp_path, monkeypatch):
    from reelib.exceptions import MirrorMissingError

    with pytest.raises(MirrorMissingError) as err:
        fetch_sources(mirror=tmp_path / "no-mirror", raw_dir=tmp_path / "raw",
                      allow_download=False)
    text = str(err.value)
    assert "usgs-mcs-2025" in err.value.missing and "usgs-mcs-2026" not in err.value.missing
    assert "mirror archive" in text and "download by themselves: usgs-mcs-2026" in text


def test_the_mirror_archive_is_reproducible_and_matches_its_pinned_hash(tmp_path):
    from reelib.devtools import mirror_archive

    if config.mirror_dir() is None:
        pytest.fail("no mirror beside the checkout")
    # one build: matching the hash pinned by an earlier build, on another day and machine,
    # is the reproducibility (a second build here only repeated it, for 2 s)
    digest = mirror_archive.build(tmp_path / "a.tar.gz")
    pinned = mirror_archive.CHECKSUM_FILE.read_text().split()[0]
    assert digest == pinned, "registry changed: run `make mirror-archive` and commit the hash"
