"""``clearinghouse ingest``: a folder of good and bad files, one summary."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.catalog.models import Document, Resource
from tests.test_ingest_pipeline import write_pdf


def make_folder(root):
    """Two good PDFs (one in a sub-folder), a copy, a PNG and a truncated PDF."""
    root.mkdir()
    good = write_pdf(root / "good.pdf")
    (root / "nested").mkdir()
    write_pdf(root / "nested" / "other.pdf", ["Another report on child labour."])
    (root / "nested" / "copy.pdf").write_bytes(good.read_bytes())
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (root / "truncated.pdf").write_bytes(good.read_bytes()[:600])
    return root


def run_ingest(*args: str) -> list[str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue().strip().splitlines()


@pytest.mark.django_db
def test_it_ends_with_a_json_summary_of_the_batch(tmp_path) -> None:
    folder = make_folder(tmp_path / "batch")

    summary = json.loads(run_ingest(str(folder), "--recursive", "--json")[-1])

    assert {k: summary[k] for k in ("ok", "duplicate", "refused", "failed")} == {
        "ok": 2,
        "duplicate": 1,
        "refused": 1,
        "failed": 1,
    }
    statuses = {
        row["path"].removeprefix(str(folder) + "/"): row["status"]
        for row in summary["files"]
    }
    assert statuses == {
        "good.pdf": "ok",
        "nested/copy.pdf": "duplicate",
        "nested/other.pdf": "ok",
        "photo.png": "refused",
        "truncated.pdf": "failed",
    }
    failed = next(r for r in summary["files"] if r["status"] == "failed")
    assert failed["reason"]
    assert (
        Document.objects.get(resource_id=failed["resource"]).state
        == Document.State.FAILED
    )
    # Records are written as their files are read, two at a time: any order.
    done = Document.objects.filter(state=Document.State.DONE)
    assert {d.original_name: d.pages for d in done} == {"good.pdf": 3, "other.pdf": 1}
    assert Resource.objects.count() == 3


@pytest.mark.django_db
def test_it_reads_only_the_top_folder_without_recursive(tmp_path) -> None:
    folder = make_folder(tmp_path / "batch")
    summary = json.loads(run_ingest(str(folder), "--json", "--publish")[-1])
    assert len(summary["files"]) == 3
    assert set(Resource.objects.values_list("status", flat=True)) == {"published"}


@pytest.mark.django_db
def test_it_prints_a_summary_table_without_json(tmp_path) -> None:
    folder = make_folder(tmp_path / "batch")
    output = "\n".join(run_ingest(str(folder)))
    assert "1 ok, 0 duplicate, 1 refused, 1 failed" in output
    assert "documents only" in output


def test_it_refuses_a_missing_path() -> None:
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("ingest", "/nonexistent/reports")


@pytest.mark.slow
def test_it_exits_zero_when_files_fail(tmp_path) -> None:
    folder = make_folder(tmp_path / "batch")
    env_dir = tmp_path / "data"
    env_dir.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "clearinghouse", "migrate", "-v0"],
        env={"CLEARINGHOUSE_DATA_DIR": str(env_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clearinghouse",
            "ingest",
            "--recursive",
            str(folder),
            "--json",
        ],
        env={"CLEARINGHOUSE_DATA_DIR": str(env_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert tuple(summary[k] for k in ("ok", "duplicate", "refused", "failed")) == (
        2,
        1,
        1,
        1,
    )
