"""Every real-world and deliberately broken PDF in shared/data/pdfs ends as an
extraction or as a clear failure: never a crash of the batch.

The folder sits beside the repository in the development workspace; a user's
clone has none, and the module is then skipped.
"""

import os
import time
from collections import Counter
from pathlib import Path

import pytest

from clearinghouse.ingest.extraction import Extraction, ExtractionError
from clearinghouse.ingest.isolation import extract_many
from clearinghouse.ingest.sniff import Refused, sniff

# CLEARINGHOUSE_TEST_PDFS points elsewhere, e.g. for a clone outside the workspace.
CORPUS = Path(
    os.environ.get("CLEARINGHOUSE_TEST_PDFS")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "pdfs"
)
if not CORPUS.is_dir():
    pytest.skip(f"no PDF corpus at {CORPUS}", allow_module_level=True)

pytestmark = pytest.mark.slow


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*/*.pdf"))


def test_it_has_both_parts_of_the_corpus():
    folders = Counter(path.parent.name for path in corpus_files())
    assert folders.keys() == {"pdfjs", "pypdf-samples"}


def test_every_pdf_is_sniffed_as_a_pdf():
    refused = {}
    for path in corpus_files():
        try:
            assert sniff(path).media_type == "application/pdf"
        except Refused as exc:
            refused[path.name] = exc.reason
    assert refused == {}


def test_every_pdf_ends_as_an_extraction_or_a_clear_failure():
    started = time.monotonic()
    outcomes = dict(extract_many(corpus_files(), workers=2))
    elapsed = time.monotonic() - started
    assert outcomes.keys() == set(corpus_files())
    failures = Counter()
    for path, outcome in outcomes.items():
        if isinstance(outcome, Extraction):
            assert outcome.page_count >= 1, path
        else:
            assert isinstance(outcome, ExtractionError), (path, outcome)
            assert outcome.reason.strip(), path
            failures[outcome.reason] += 1
    ok = len(outcomes) - sum(failures.values())
    print(f"\n{ok} extracted, {sum(failures.values())} failed in {elapsed:.1f} s")
    for reason, count in failures.most_common():
        print(f"  {count} × {reason}")
    password = outcomes[CORPUS / "pypdf-samples" / "libreoffice-writer-password.pdf"]
    assert password.reason == "the PDF is password-protected"
