"""Every command and every setting is documented (the docs are checked, not trusted)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "clearinghouse"

COMMANDS = sorted(
    path.stem
    for path in PACKAGE.glob("*/management/commands/*.py")
    if not path.stem.startswith("_")
)
# Environment variables read by settings.py, found by their quoted names.
SETTINGS = sorted(
    set(
        re.findall(
            r"""["'](CLEARINGHOUSE_[A-Z0-9_]+|DATABASE_URL)["']""",
            (PACKAGE / "settings.py").read_text(encoding="utf-8"),
        )
    )
)


@pytest.fixture(scope="module")
def docs() -> str:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_it_finds_the_commands_and_settings_it_checks() -> None:
    # Guards the globs above: a moved package must not make the checks vacuous.
    assert {"demo", "serve", "import", "export", "reindex"} <= set(COMMANDS)
    assert {"CLEARINGHOUSE_DATA_DIR", "DATABASE_URL"} <= set(SETTINGS)


@pytest.mark.parametrize("command", COMMANDS)
def test_it_documents_every_command(docs: str, command: str) -> None:
    assert f"clearinghouse {command}" in docs


@pytest.mark.parametrize("setting", SETTINGS)
def test_it_documents_every_setting(docs: str, setting: str) -> None:
    assert re.search(rf"`{setting}`", docs), f"{setting} is not in the docs"
