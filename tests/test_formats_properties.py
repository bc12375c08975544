"""Any text survives a trip through every format's writer and reader: LaTeX's
special characters, quotes, dashes, braces, formulas, accents, scripts."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from clearinghouse.formats.registry import FORMATS

# Printable text without line breaks or runs of spaces (readers of one-line
# fields collapse those, as citation managers do).
words = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Zl", "Zp", "Zs"),
    ),
    min_size=1,
    max_size=12,
)
line = st.lists(words, min_size=1, max_size=6).map(" ".join)
SPECIAL = st.sampled_from(
    ["&", "%", "$", "#", "_", "{", "}", "~", "^", "\\", "--", "``", "''", "=", "-x"]
)
tricky = st.lists(st.one_of(words, SPECIAL), min_size=1, max_size=8).map(" ".join)


def record(title: str, abstract: str, keyword: str) -> dict:
    return {
        "id": "6f1c1f3e-4a59-4c55-9d1b-0d9a3c1e2f10",
        "title": title,
        "subtitle": "",
        "summary": "",
        "abstract": abstract,
        "types": ["report"],
        "date": "2021-09",
        "publishers": ["WeProtect Global Alliance"],
        "authors": [],
        "topics": [],
        "regions": [],
        "languages": [],
        "keywords": [keyword],
        "url": "https://example.org/a_b%20c?x=1&y={2}",
        "doi": "",
        "isbn": "",
        "licence": "",
    }


def round_trip(name: str, original: dict) -> dict:
    stream = io.StringIO()
    FORMATS[name].write([original], stream)
    ((_, read),) = list(FORMATS[name].read(io.StringIO(stream.getvalue())))
    assert isinstance(read, dict), read
    return read


@settings(max_examples=150, deadline=None)
@given(title=st.one_of(line, tricky), abstract=st.one_of(line, tricky), keyword=line)
def test_any_text_survives_every_format(title, abstract, keyword):
    keyword = keyword.replace(",", " ").replace(";", " ").strip() or "x"
    keyword = " ".join(keyword.split())
    original = record(title, abstract, keyword)
    for name in ("bibtex", "ris", "csljson"):
        read = round_trip(name, original)
        assert (read["title"], read["abstract"], read["keywords"]) == (
            title,
            abstract,
            [keyword],
        ), name
    read = round_trip("csv", original)
    assert (read["title"], read["abstract"]) == (title.strip(), abstract.strip())
