"""The importer's CSV files (loaders/importfiles.py) and the cutting of large Turtle files (loaders/rebuild.py)."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from loaders import rebuild
from loaders.importfiles import ARRAY_DELIMITER, FileSet, ImportFileError, ImportWriter, field_text, value_type
from loaders.rebuild import split
from loaders.rows import NodeRow


def test_value_types_and_fields() -> None:
    assert [value_type(v) for v in ("x", 1, 1.5, True, dt.date(2024, 1, 2), ["a", "b"], [1, 2])] == [
        "string", "long", "double", "boolean", "date", "string[]", "long[]"]
    assert field_text('say "hi", then') == '"say ""hi"", then"'
    assert field_text(0.1) == "0.1" and field_text(False) == "false" and field_text(dt.date(2024, 1, 2)) == "2024-01-02"
    assert field_text(["a", "b"]) == f'"a{ARRAY_DELIMITER}b"'
    with pytest.raises(ImportFileError):
        value_type(["a", 1])
    with pytest.raises(ImportFileError):
        field_text(f"a{ARRAY_DELIMITER}b")


def test_writer_one_file_per_shape_and_rel_type(tmp_path: Path) -> None:
    writer = ImportWriter(tmp_path, "p0")
    writer.add(NodeRow("id:a", ("Rdkg", "State"), {"uri": "id:a", "name": "A, \"a\"\nline"}, [("R", "id:b")]))
    writer.add(NodeRow("id:b", ("Rdkg", "State"), {"uri": "id:b", "name": "B", "n": 2}, []))
    files = writer.close()
    assert sorted(files.nodes) == ["uri:ID,:LABEL,n:long,name:string", "uri:ID,:LABEL,name:string"]
    assert files.multiline and files.labels == {"Rdkg": 2, "State": 2} and files.rel_counts == {"R": 1}
    (path,) = files.nodes["uri:ID,:LABEL,name:string"]
    assert list(csv.reader(path.open(encoding="utf-8", newline=""))) == [
        ["id:a", f"Rdkg{ARRAY_DELIMITER}State", 'A, "a"\nline']]


def test_split_at_subject_blocks(tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    blocks = [f'id:s{i} a rdkg:State ;\n    rdkg:name """x .\nstill {i}""" .\n\n' for i in range(200)]
    path.write_text("@prefix id: <https://w3id.org/rdkg/id/> .\n@prefix rdkg: <x#> .\n\n" + "".join(blocks))
    parts = split(path, 1000)
    assert len(parts) > 3 and parts[0].start == 0 and parts[-1].end == path.stat().st_size
    data = path.read_bytes()
    for before, after in zip(parts, parts[1:], strict=False):
        assert before.end == after.start and data[after.start:after.start + 9].lstrip().startswith(b"id:s")
        assert after.header.startswith(b"@prefix id:")
    assert len(split(path, 10**9)) == 1


def _lines(files: FileSet) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for key, paths in (*files.nodes.items(), *files.relationships.items()):
        for path in paths:
            found.update((key, line) for line in path.read_text(encoding="utf-8").splitlines())
    return found


def test_parallel_parts_write_what_the_in_memory_mapping_writes(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut into many parts and mapped by two processes, with the transfers spilled to disk and captioned from the
    on-disk lookup (loaders/spill.py), the synthetic graph's files hold exactly the in-memory mapping's lines."""
    ttl = tmp_path / "x3.ttl"
    subprocess.run([sys.executable, "-m", "bench.generate", "--copies", "3", "--out", str(ttl)], check=True,
                   capture_output=True, cwd=Path(__file__).resolve().parents[3])
    monkeypatch.setattr(rebuild, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(rebuild, "PART_BYTES", 64 << 10)
    parallel = rebuild.map_to_files([ttl], tmp_path / "parallel", workers=2)
    serial = rebuild._map_in_memory([ttl], tmp_path / "serial")
    assert parallel.parts > 3 and parallel.workers == 2
    assert parallel.rel_counts["OF_CATEGORY"] and parallel.labels["Transfer"]
    assert _lines(parallel) == _lines(serial)
    assert (parallel.labels, parallel.rel_counts, parallel.triples) == (serial.labels, serial.rel_counts,
                                                                        serial.triples)
    assert not (tmp_path / "parallel" / ".spill").exists()
