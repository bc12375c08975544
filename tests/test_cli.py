"""The `clearinghouse` command, run for real in subprocesses on a scratch folder."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DEMO_RECORDS = 147


def clearinghouse(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `clearinghouse ARGS` with its own data folder; fail with its output."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLEARINGHOUSE_DATA_DIR"] = str(data_dir)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command sets its own
    done = subprocess.run(
        [sys.executable, "-m", "clearinghouse", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}{done.stderr}"
    return done


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A data folder set up by `demo --no-serve`, and what that printed."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    return data_dir, clearinghouse(data_dir, "demo", "--no-serve").stdout


def exported_records(data_dir: Path, *args: str) -> list[dict]:
    output = data_dir.parent / f"{data_dir.name}-export.jsonl"
    clearinghouse(data_dir, "export", "-o", str(output), *args)
    lines = output.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_it_lists_the_commands_in_help(tmp_path: Path) -> None:
    listed = clearinghouse(tmp_path, "--help").stdout
    words = set(re.findall(r"^\s+(\w+)$", listed, flags=re.MULTILINE))
    expected = {"demo", "serve", "import", "export", "reindex", "migrate"}
    assert expected | {"createsuperuser"} <= words


@pytest.mark.slow
def test_it_sets_up_the_demo_library(demo: tuple[Path, str]) -> None:
    data_dir, printed = demo
    assert f"Loaded the demo library: {DEMO_RECORDS} records" in printed
    assert "http://127.0.0.1:8000/" in printed
    assert re.search(r"as user 'curator' with password '\S{8,}'", printed)
    assert (data_dir / "clearinghouse.sqlite3").is_file()


@pytest.mark.slow
def test_it_loads_the_demo_only_once(demo: tuple[Path, str]) -> None:
    data_dir, first = demo
    again = clearinghouse(data_dir, "demo", "--no-serve").stdout
    assert "Loaded the demo library" not in again
    password = re.search(r"password '(\S+)'", first).group(1)
    assert f"password '{password}'" in again  # the same curator, not a new one
    assert len(exported_records(data_dir)) == DEMO_RECORDS


@pytest.mark.slow
def test_it_exports_every_record_as_json_lines(demo: tuple[Path, str]) -> None:
    records = exported_records(demo[0])
    assert len(records) == DEMO_RECORDS
    assert len({record["id"] for record in records}) == DEMO_RECORDS
    assert all(record["title"] and record["status"] for record in records)


@pytest.mark.slow
def test_it_exports_only_what_a_query_matches(demo: tuple[Path, str]) -> None:
    matching = exported_records(demo[0], "--query", "trafficking")
    assert 0 < len(matching) < DEMO_RECORDS


@pytest.mark.slow
def test_it_reindexes_every_record(demo: tuple[Path, str]) -> None:
    printed = clearinghouse(demo[0], "reindex").stdout
    assert printed.strip() == f"Indexed {DEMO_RECORDS} record(s)."
