"""Parsing what readers type into FTS5 expressions (search/query.py).

The table is the specification: typed text → (match, relaxed, exclusion)
expressions. The property tests feed arbitrary text through the parser and a
real FTS5 table with the index's own tokenizer, so no input can reach MATCH as
a syntax error (https://www.sqlite.org/fts5.html#full_text_query_syntax).
"""

import re
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearinghouse.search.backends.sqlite import TOKENIZER
from clearinghouse.search.fields import FIELDS
from clearinghouse.search.query import MAX_CLAUSES, MAX_QUERY_CHARS, parse
from clearinghouse.search.synonyms import Group, expand

# (typed text, match_expression, relaxed_expression, exclusion_expression)
CASES = [
    # words: all required, any of them as the fallback
    ("grooming", '"grooming"', None, None),
    ("Online Grooming", '"online" AND "grooming"', '("online" OR "grooming")', None),
    ("  spaced\tout\n ", '"spaced" AND "out"', '("spaced" OR "out")', None),
    # phrases
    ('"online grooming"', '"online grooming"', None, None),
    (
        '"online grooming" sextortion',
        '"online grooming" AND "sextortion"',
        '("online grooming" OR "sextortion")',
        None,
    ),
    ('""', None, None, None),
    # exclusion
    ("csam -adult", '"csam" NOT ("adult")', None, '"adult"'),
    (
        'csam -"adult content"',
        '"csam" NOT ("adult content")',
        None,
        '"adult content"',
    ),
    ("-adult", None, None, '"adult"'),
    ("-adult -consensual", None, None, '"adult" OR "consensual"'),
    (
        "child abuse -adult",
        '"child" AND "abuse" NOT ("adult")',
        '("child" OR "abuse") NOT ("adult")',
        '"adult"',
    ),
    ("trafficking -", '"trafficking"', None, None),
    ("-", None, None, None),
    ("--", None, None, None),
    # OR and |
    (
        "grooming OR sextortion",
        '("grooming" OR "sextortion")',
        '("grooming" OR "sextortion")',
        None,
    ),
    (
        "grooming | sextortion",
        '("grooming" OR "sextortion")',
        '("grooming" OR "sextortion")',
        None,
    ),
    (
        "grooming OR sextortion online",
        '("grooming" OR "sextortion") AND "online"',
        '("grooming" OR "sextortion" OR "online")',
        None,
    ),
    ("a OR b OR c", '("a" OR "b" OR "c")', '("a" OR "b" OR "c")', None),
    ("grooming OR", '"grooming"', None, None),
    ("OR grooming", '"grooming"', None, None),
    ("OR", None, None, None),
    (
        "grooming or sextortion",
        '"grooming" AND "sextortion"',
        '("grooming" OR "sextortion")',
        None,
    ),
    # NOT and AND as operators
    ("grooming NOT adult", '"grooming" NOT ("adult")', None, '"adult"'),
    ("NOT adult", None, None, '"adult"'),
    ("NOT", None, None, None),
    (
        "grooming AND sextortion",
        '"grooming" AND "sextortion"',
        '("grooming" OR "sextortion")',
        None,
    ),
    ("AND", None, None, None),
    # prefixes; a one-letter prefix is only a word
    ("groom*", '"groom" *', None, None),
    ("groom* sext*", '"groom" * AND "sext" *', '("groom" * OR "sext" *)', None),
    ("g*", '"g"', None, None),
    ("*", None, None, None),
    ("**", None, None, None),
    ('"online groom*"', '"online groom"', None, None),
    # stop words: dropped only when other words remain
    ("the", '"the"', None, None),
    ("the of", '"the" AND "of"', '("the" OR "of")', None),
    ("the child", '"child"', None, None),
    (
        "what is the scale of child abuse",
        '"scale" AND "child" AND "abuse"',
        '("scale" OR "child" OR "abuse")',
        None,
    ),
    ('"the child"', '"the child"', None, None),
    # hyphenated and punctuated words become phrases
    ("self-generated", '"self generated"', None, None),
    (
        "self-generated imagery",
        '"self generated" AND "imagery"',
        '("self generated" OR "imagery")',
        None,
    ),
    ("e-mail*", '"e mail" *', None, None),
    ("ab-c*", '"ab c"', None, None),
    ("title:foo", '"title foo"', None, None),
    ("co:", '"co"', None, None),
    ("child_abuse", '"child abuse"', None, None),
    # underscores are separators to FTS5: a word of them alone is no word
    ("_ trafficking", '"trafficking"', None, None),
    ("___*", None, None, None),
    # unbalanced quotes
    ('"unbalanced', '"unbalanced"', None, None),
    ('unbalanced"', '"unbalanced"', None, None),
    ('"', None, None, None),
    ('grooming -"', '"grooming"', None, None),
    ('"x" "y', '"x" AND "y"', '("x" OR "y")', None),
    # parentheses and NEAR are words, never syntax
    (
        "(grooming OR sextortion)",
        '("grooming" OR "sextortion")',
        '("grooming" OR "sextortion")',
        None,
    ),
    ("((()))", None, None, None),
    ("NEAR(a b, 3)", '"near a" AND "b" AND "3"', '("near a" OR "b" OR "3")', None),
    ("NEAR", '"near"', None, None),
    ("^grooming", '"grooming"', None, None),
    ("+grooming", '"grooming"', None, None),
    ("{title}: grooming", '"title" AND "grooming"', '("title" OR "grooming")', None),
    # emoji and other scripts
    ("😀", None, None, None),
    ("😀 abuse", '"abuse"', None, None),
    ("Ünïcödé café", '"ünïcödé" AND "café"', '("ünïcödé" OR "café")', None),
    ("儿童 保护", '"儿童" AND "保护"', '("儿童" OR "保护")', None),
    # SQL is just words
    (
        "'; DROP TABLE x; --",
        '"drop" AND "table" AND "x"',
        '("drop" OR "table" OR "x")',
        None,
    ),
    ("1=1", '"1 1"', None, None),
    # control characters
    ("abuse\x00report", '"abuse" AND "report"', '("abuse" OR "report")', None),
    ("\x00\x01\x02", None, None, None),
]


@pytest.mark.parametrize(
    ("text", "match", "relaxed", "exclusion"), CASES, ids=[c[0][:30] for c in CASES]
)
def test_it_turns_typed_text_into_fts5(text, match, relaxed, exclusion):
    parsed = parse(text)
    assert (
        parsed.match_expression(),
        parsed.relaxed_expression(),
        parsed.exclusion_expression(),
    ) == (match, relaxed, exclusion)


@pytest.mark.parametrize(
    ("text", "explicit_or"),
    [("a OR b", True), ("a | b", True), ("a b", False), ("OR b", False)],
)
def test_it_remembers_an_explicit_or(text, explicit_or):
    assert parse(text).explicit_or is explicit_or


@pytest.mark.parametrize(
    ("text", "empty"),
    [("", True), ("   ", True), ("😀 !!", True), ("-x", False), ("x", False)],
)
def test_it_knows_an_empty_query(text, empty):
    assert parse(text).is_empty is empty


def test_it_parses_none_as_nothing():
    parsed = parse(None)
    assert (parsed.is_empty, parsed.notices) == (True, [])


def test_it_truncates_10_kb_of_text_with_a_notice():
    text = ("trafficking " * 900)[:10_000]
    parsed = parse(text)
    assert parsed.notices == [
        f"Your search was long, so only its first {MAX_QUERY_CHARS} "
        "characters were used."
    ]
    # A broad query: each word looked for once (the last one cut at 2000).
    assert parsed.any_expression() == '("trafficking" OR "traffick")'


def test_it_keeps_one_long_word_whole_up_to_the_limit():
    parsed = parse("x" * 10_000)
    assert parsed.match_expression() == '"' + "x" * MAX_QUERY_CHARS + '"'
    assert len(parsed.notices) == 1


def test_it_caps_the_clauses_of_a_query_that_requires_every_word():
    # An explicit OR makes a boolean query: every clause is required.
    words = [f"w{n}" for n in range(80)]
    parsed = parse("w0 OR " + " ".join(words[1:]))
    assert not parsed.broad
    assert parsed.match_expression() == (
        '("w0" OR "w1") AND ' + " AND ".join(f'"{w}"' for w in words[2:64])
    )
    assert parsed.notices == [
        f"Only the first {MAX_CLAUSES} words of your search were used."
    ]


def test_it_counts_each_alternative_against_the_cap():
    words = [f"w{n}" for n in range(100)]
    parsed = parse(" OR ".join(words))
    assert parsed.match_expression() == (
        "(" + " OR ".join(f'"{w}"' for w in words[:MAX_CLAUSES]) + ")"
    )
    assert parsed.notices == [
        f"Only the first {MAX_CLAUSES} words of your search were used."
    ]


def test_it_caps_exclusions_but_keeps_every_word_of_a_broad_query():
    words = [f"w{n}" for n in range(150)]
    parsed = parse(" ".join(words[:80] + [f"-{w}" for w in words[80:]]))
    assert (parsed.broad, len(parsed.required), len(parsed.excluded)) == (
        True,
        80,
        MAX_CLAUSES,
    )
    assert parsed.notices == [
        f"Only the first {MAX_CLAUSES} words of your search were used."
    ]


# (typed text, broad?, any_expression, adjacent_pairs)
BROAD_CASES = [
    # up to three words: every one is required, so not broad
    ("online child grooming", False, '("online" OR "child" OR "grooming")', 2),
    (
        "the scale of online child grooming",
        True,
        '("scale" OR "online" OR "child" OR "grooming")',
        2,
    ),
    (
        "offenders justify abuse on the dark web",
        True,
        '("offenders" OR "justify" OR "abuse" OR "dark" OR "web")',
        3,
    ),
    # hyphenated words count for each of their words; quoted phrases stay whole
    (
        'self-generated "live streaming" imagery of children online',
        True,
        '"live streaming" AND ("self" OR "generated" OR "imagery" OR "children"'
        ' OR "online")',
        2,
    ),
    # an explicit OR is a reader's boolean query: never broad
    ("grooming OR sextortion online safety schools", False, None, 2),
    (
        "b c d e -adult",
        True,
        '("b" OR "c" OR "d" OR "e") NOT ("adult")',
        3,
    ),
]


@pytest.mark.parametrize(("text", "broad", "expression", "pairs"), BROAD_CASES)
def test_it_looks_for_any_word_of_a_long_query(text, broad, expression, pairs):
    parsed = parse(text)
    assert parsed.broad is broad
    if expression:
        assert parsed.any_expression() == expression
    assert len(parsed.adjacent_pairs()) == pairs


def test_it_pairs_neighbouring_words_as_typed():
    parsed = parse('how do offenders justify abuse on the "dark web" today')
    assert parsed.adjacent_pairs() == ['"offenders justify"', '"justify abuse"']
    assert parse("self-generated imagery").adjacent_pairs() == [
        '"self generated"',
        '"generated imagery"',
    ]


def test_it_keeps_the_chosen_words_of_a_broad_query():
    parsed = parse('"dark web" forums offenders justify abuse rationalise')
    assert parsed.broad_words() == [
        "forums",
        "offenders",
        "justify",
        "abuse",
        "rationalise",
    ]
    assert (
        parsed.any_expression(keep={"justify", "rationalise"})
        == '"dark web" AND ("justify" OR "rationalise")'
    )


def test_it_gives_no_notice_for_ordinary_text():
    assert parse('child "online grooming" -adult').notices == []


# --- properties -------------------------------------------------------------

# Every expression the parser emits is built from these pieces only: quoted
# strings without quotes inside, an optional prefix star, parentheses and the
# three operators. Nothing the reader typed survives outside quotes.
GRAMMAR = re.compile(r'(?:"[^"]*"(?: \*)?|\(|\)| AND | OR | NOT )+')

FTS5_SYNTAX = [
    '"',
    "-",
    "*",
    "OR",
    "|",
    "NOT",
    "AND",
    "&&",
    "(",
    ")",
    "NEAR",
    ":",
    "^",
    "+",
    "{",
    "}",
    ",",
    "_",
    "grooming",
    "a",
    "the",
    "é",
    "\x00",
    " ",
    " ",
    "\t",
]
query_texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=600),
    st.lists(st.sampled_from(FTS5_SYNTAX), max_size=40).map("".join),
    st.lists(
        st.one_of(st.sampled_from(FTS5_SYNTAX), st.text(max_size=3)), max_size=30
    ).map(" ".join),
)


@pytest.fixture(scope="module")
def fts5():
    """A scratch FTS5 table with the index's columns and tokenizer."""
    db = sqlite3.connect(":memory:")
    db.execute(
        f"CREATE VIRTUAL TABLE scratch USING fts5({', '.join(FIELDS)}, "
        f"tokenize = '{TOKENIZER}')"
    )
    db.execute(
        f"INSERT INTO scratch ({', '.join(FIELDS)}) VALUES (?, ?, ?, ?, ?, ?)",
        ["Online grooming", "csam", "Grooming", "IWF", "the scale", "é body _"],
    )
    yield db
    db.close()


def expressions(text: str) -> list[str]:
    parsed = parse(text)
    expanded, _ = expand(parsed, GROUPS)
    found = [
        parsed.match_expression(),
        parsed.relaxed_expression(),
        parsed.exclusion_expression(),
        parsed.any_expression(),
        parsed.any_expression(keep=set(parsed.broad_words()[:3])),
        expanded.match_expression(),
        expanded.any_expression(),
        *parsed.adjacent_pairs(),
    ]
    return [e for e in found if e is not None]


GROUPS = [
    Group("a", "", (("grooming",), ("online", "grooming"), ("the", "a")), frozenset())
]


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=query_texts)
def test_it_never_raises_and_fts5_accepts_every_expression(fts5, text):
    for expression in expressions(text):
        assert GRAMMAR.fullmatch(expression), expression
        # Raises sqlite3.OperationalError on any syntax FTS5 refuses.
        fts5.execute(
            "SELECT rowid FROM scratch WHERE scratch MATCH ?", [expression]
        ).fetchall()


@settings(max_examples=100, deadline=None)
@given(text=query_texts)
def test_it_bounds_what_it_emits(text):
    parsed = parse(text)
    assert len(parsed.excluded) <= MAX_CLAUSES
    terms = [t for clause in parsed.required for t in getattr(clause, "terms", [1])]
    assert parsed.broad or len(terms) + len(parsed.excluded) <= MAX_CLAUSES
    assert len(parsed.broad_words()) <= MAX_QUERY_CHARS // 2
    for expression in expressions(text):
        assert len(expression) < 4 * MAX_QUERY_CHARS + 16 * MAX_CLAUSES
