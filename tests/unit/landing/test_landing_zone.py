import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stockyard.landing import LandingZone


def test_write_is_compressed_versioned_and_idempotent(tmp_path: Path) -> None:
    zone = LandingZone(str(tmp_path / "landing"))
    first = zone.write("src", "ds", "2020-01-02", "page.json", b'{"a": 1}', url="http://x/a")
    assert first.written and first.file.version == 1 and first.file.compressed
    on_disk = tmp_path / "landing" / first.file.path
    assert on_disk.name == "page.json.v1.gz"
    assert gzip.decompress(on_disk.read_bytes()) == b'{"a": 1}'

    again = zone.write("src", "ds", "2020-01-02", "page.json", b'{"a": 1}', url="http://x/a")
    assert not again.written and again.file == first.file

    changed = zone.write("src", "ds", "2020-01-02", "page.json", b'{"a": 2}', url="http://x/a")
    assert changed.written and changed.file.version == 2
    assert [f.version for f in zone.manifest("src", "ds", "2020-01-02")] == [1, 2]
    assert zone.latest("src", "ds", "2020-01-02") == [changed.file]
    assert zone.read(first.file) == b'{"a": 1}'  # history kept
    assert zone.read(changed.file) == b'{"a": 2}'


def test_pdfs_are_stored_as_is_and_manifest_survives_a_new_process(tmp_path: Path) -> None:
    pdf = b"%PDF-1.7 fake but opaque"
    zone = LandingZone(str(tmp_path))
    landed = zone.write("house_clerk", "ptr_pdfs", "2021", "20019331.pdf", pdf, url="u").file
    assert not landed.compressed and (tmp_path / landed.path).read_bytes() == pdf
    fresh = LandingZone(str(tmp_path))  # manifest read back from disk, not memory
    assert fresh.latest("house_clerk", "ptr_pdfs", "2021")[0].sha256 == landed.sha256
    assert fresh.partitions("house_clerk", "ptr_pdfs") == ["2021"]
    assert not fresh.write("house_clerk", "ptr_pdfs", "2021", "20019331.pdf", pdf, url="u").written


def test_fsspec_memory_filesystem(tmp_path: Path) -> None:
    # Any fsspec URL works; memory:// stands in for s3:// here (no append support path exercised).
    zone = LandingZone("memory://stockyard-test/landing")
    zone.write("s", "d", "p", "a.json", b"1", url="u")
    zone.write("s", "d", "p", "b.json", b"2", url="u")
    assert [
        f.name for f in LandingZone("memory://stockyard-test/landing").latest("s", "d", "p")
    ] == [
        "a.json",
        "b.json",
    ]


def test_rejects_unsafe_names(tmp_path: Path) -> None:
    zone = LandingZone(str(tmp_path))
    with pytest.raises(ValueError, match="invalid landing partition"):
        zone.write("s", "d", "../etc", "a", b"", url="u")
    with pytest.raises(ValueError, match="invalid landing name"):
        zone.write("s", "d", "p", "_manifest.jsonl", b"", url="u")


def test_retention_deletes_or_archives_old_files(tmp_path: Path) -> None:
    zone = LandingZone(str(tmp_path / "landing"))
    old = datetime.now(UTC) - timedelta(days=40)
    stale = zone.write("s", "d", "p", "old.json", b"old", url="u", fetched_at=old).file
    fresh = zone.write("s", "d", "p", "new.json", b"new", url="u").file
    expired = zone.apply_retention(30, archive_url=str(tmp_path / "archive"))
    assert expired == [stale]
    assert not (tmp_path / "landing" / stale.path).exists()
    assert zone.latest("s", "d", "p") == [fresh]
    archived = LandingZone(str(tmp_path / "archive"))
    assert archived.read(archived.latest("s", "d", "p")[0]) == b"old"
    assert zone.apply_retention(30) == []
