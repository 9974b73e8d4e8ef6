"""reelib.sources.fetch: fetch from a mirror and sha256 refusal (tiny fake sources)."""

import hashlib

import pytest

from reelib.exceptions import HashMismatchError, SourceNotFoundError
from reelib.sources.fetch import fetch_file
from reelib.sources.registry import Source, SourceFile


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def tiny_source(tmp_path):
    """A one-file source in a throwaway mirror."""
    mirror = tmp_path / "mirror"
    (mirror / "demo").mkdir(parents=True)
    data = b"year,value\n2024,1\n"
    (mirror / "demo" / "demo.csv").write_bytes(data)
    source = Source(id="demo", publisher="p", title="t", edition="e", licence="l",
                    kind="primary", files=(SourceFile("demo.csv", _sha(data), None),))
    return source, mirror, tmp_path / "raw", data


class TestFetchFile:
    def test_copies_from_the_mirror_and_makes_it_read_only(self, tiny_source):
        source, mirror, raw, data = tiny_source
        path = fetch_file(source, source.files[0], mirror=mirror, raw_dir=raw)
        assert path == raw / "demo" / "demo.csv" and path.read_bytes() == data
        assert not path.stat().st_mode & 0o222

    def test_hash_mismatch_in_the_mirror_is_refused_and_nothing_is_written(self, tiny_source):
        source, mirror, raw, _ = tiny_source
        (mirror / "demo" / "demo.csv").write_bytes(b"year,value\n2024,2\n")
        with pytest.raises(HashMismatchError) as err:
            fetch_file(source, source.files[0], mirror=mirror, raw_dir=raw)
        assert "does not match the registry" in str(err.value)
        assert not (raw / "demo").exists() or not any((raw / "demo").iterdir())

    def test_a_mismatching_file_already_in_raw_is_never_overwritten(self, tiny_source):
        source, mirror, raw, _ = tiny_source
        (raw / "demo").mkdir(parents=True)
        (raw / "demo" / "demo.csv").write_bytes(b"edited by hand\n")
        with pytest.raises(HashMismatchError):
            fetch_file(source, source.files[0], mirror=mirror, raw_dir=raw)
        assert (raw / "demo" / "demo.csv").read_bytes() == b"edited by hand\n"

    def test_a_verified_file_is_kept_without_reading_the_mirror(self, tiny_source):
        source, mirror, raw, data = tiny_source
        fetch_file(source, source.files[0], mirror=mirror, raw_dir=raw)
        (mirror / "demo" / "demo.csv").unlink()
        assert fetch_file(source, source.files[0], mirror=mirror, raw_dir=raw).read_bytes() == data

    def test_missing_everywhere_says_what_was_tried(self, tiny_source):
        source, mirror, raw, _ = tiny_source
        (mirror / "demo" / "demo.csv").unlink()
        with pytest.raises(SourceNotFoundError) as err:
            fetch_file(source, source.files[0], mirror=mirror, raw_dir=raw)
        assert "mirror" in str(err.value) and "REELIB_MIRROR" in str(err.value)

