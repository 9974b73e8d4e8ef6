"""reelib.processed.reader_cache: a source is read again exactly when its entry, its files or
the cleaning code change; a damaged entry is read again, never trusted."""

import dataclasses
import logging

import pandas as pd
import pytest

from reelib.processed import reader_cache as rc
from reelib.sources.registry import Source, SourceFile

SHA = "a" * 64


def _source(sha: str = SHA, edition: str = "MCS 2026", sid: str = "demo") -> Source:
    return Source(id=sid, publisher="p", title="t", edition=edition, licence="l",
                  kind="primary", files=(SourceFile("demo.csv", sha, None),))


def _frames() -> dict[str, pd.DataFrame]:
    return {"observations": pd.DataFrame({
        "country": pd.array(["China", None], dtype="string"),
        "value": pd.array([1.5, None], dtype="Float64"),
        "year": pd.array([2024, 2025], dtype="Int64"),
        "estimated": pd.array([True, None], dtype="boolean")})}


class Reader:
    """A reader that counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, source):
        self.calls += 1
        return _frames()


def test_the_key_follows_the_entry_the_files_and_the_code():
    base = rc.source_key(_source(), "code")
    assert rc.source_key(_source(), "code") == base
    assert rc.source_key(_source(sha="b" * 64), "code") != base
    assert rc.source_key(_source(edition="MCS 2027"), "code") != base
    assert rc.source_key(_source(), "other code") != base
    assert rc.source_key(dataclasses.replace(_source(), notes="a note"), "code") != base


def test_an_unchanged_source_is_read_once_and_comes_back_exactly(tmp_path):
    reader = Reader()
    first = rc.ReaderCache(tmp_path).read(_source(), reader)
    cache = rc.ReaderCache(tmp_path)
    again = cache.read(_source(), reader)
    assert reader.calls == 1
    assert cache.read_ids == [] and cache.cached_ids == ["demo"]
    pd.testing.assert_frame_equal(again["observations"], first["observations"],
                                  check_exact=True)
    assert cache.summary() == "read 0 of 1 sources (1 unchanged, from the reader cache)"


def test_reading_afresh_reads_the_source_and_refreshes_the_entry(tmp_path):
    reader = Reader()
    rc.ReaderCache(tmp_path).read(_source(), reader)
    cache = rc.ReaderCache(tmp_path, reuse=False)
    cache.read(_source(), reader)
    assert reader.calls == 2 and cache.summary() == "read all 1 sources"
    assert len(list(tmp_path.iterdir())) == 1


def test_a_changed_file_is_read_again_and_replaces_the_old_entry(tmp_path):
    reader = Reader()
    rc.ReaderCache(tmp_path).read(_source(), reader)
    rc.ReaderCache(tmp_path).read(_source(sid="demo.other"), reader)  # a look-alike id stays
    rc.ReaderCache(tmp_path).read(_source(sha="b" * 64), reader)
    assert reader.calls == 3
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and names[0].startswith("demo.") and names[1].startswith(
        "demo.other.")
    assert rc.entry_path(tmp_path, _source(sha="b" * 64), rc.cleaning_code_fingerprint()
                         ).name in names


@pytest.mark.parametrize("damage", [lambda b: b[: len(b) // 2], lambda b: b"not a pickle",
                                    lambda b: b""], ids=["truncated", "garbage", "empty"])
def test_a_damaged_entry_is_read_again_with_a_warning(tmp_path, caplog, damage):
    reader = Reader()
    cache = rc.ReaderCache(tmp_path)
    cache.read(_source(), reader)
    path = rc.entry_path(tmp_path, _source(), cache.code)
    path.write_bytes(damage(path.read_bytes()))
    with caplog.at_level(logging.WARNING, logger="reelib.processed.reader_cache"):
        again = rc.ReaderCache(tmp_path).read(_source(), reader)
    assert reader.calls == 2 and "reading the source again" in caplog.text
    assert str(path) in caplog.text
    pd.testing.assert_frame_equal(again["observations"], _frames()["observations"])
    assert rc._load(path) is not None  # rewritten whole


def test_an_entry_holding_something_else_is_not_trusted(tmp_path, caplog):
    cache = rc.ReaderCache(tmp_path)
    path = rc.entry_path(tmp_path, _source(), cache.code)
    pd.to_pickle(["not", "frames"], path, compression=rc._COMPRESSION)
    reader = Reader()
    with caplog.at_level(logging.WARNING, logger="reelib.processed.reader_cache"):
        cache.read(_source(), reader)
    assert reader.calls == 1 and "does not hold a reader's frames" in caplog.text


def test_a_cache_that_cannot_be_written_costs_time_not_the_clean(tmp_path, caplog):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    reader = Reader()
    with caplog.at_level(logging.WARNING, logger="reelib.processed.reader_cache"):
        frames = rc.ReaderCache(blocked).read(_source(), reader)
    assert reader.calls == 1 and "could not write" in caplog.text
    assert list(frames) == ["observations"]


def test_a_failing_reader_leaves_no_entry(tmp_path):
    def broken(source):
        raise ValueError("bad file")

    with pytest.raises(ValueError):
        rc.ReaderCache(tmp_path).read(_source(), broken)
    assert list(tmp_path.iterdir()) == []


def test_a_cache_folder_linked_out_of_its_folder_is_neither_read_nor_written(tmp_path, caplog):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / rc.CACHE_DIR).symlink_to(outside)
    reader = Reader()
    rc.ReaderCache(outside).read(_source(), reader)  # an entry there, current
    with caplog.at_level(logging.WARNING, logger="reelib.processed.reader_cache"):
        cache = rc.ReaderCache(processed / rc.CACHE_DIR)
        cache.read(_source(sha="b" * 64), reader)
        cache.read(_source(), reader)
    assert reader.calls == 3 and "outside" in caplog.text
    assert len(list(outside.iterdir())) == 1  # nothing written through the link
