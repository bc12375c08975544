"""Finding vocabulary phrases (organisation names, place names, topic terms)
in page text.

Text is cut into word tokens once per page; a phrase matches a run of tokens
whose folded forms (case-folded, accents removed) equal the phrase's. Lookup
starts only at tokens that begin some phrase, so the cost is one dict lookup
per word whatever the size of the vocabulary. The longest phrase wins where
phrases overlap ("Democratic Republic of the Congo" over "Congo").

Case is checked after the fold: an acronym must appear exactly as written
("ILO", never the "ilo" inside a word or a lower-case word), and a name is
reported with the form it was written in so that callers can tell the
organisation "Sexual Abuse" from the phrase "sexual abuse".
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import add

# Words, plus "&" so that "Missing & Exploited" and "Missing and Exploited"
# stay distinct aliases; other punctuation only separates words.
_TOKEN = re.compile(r"\w+|&")
_GAP_AND_TOKEN = re.compile(r"([^\w&]*)(\w+|&)")

#: Words that may stand just before a place or organisation name without
#: making it part of a longer proper noun ("in Kenya", "The Freedom Fund").
FUNCTION_WORDS = frozenset(
    """a about above across after against along among an and around as at
    before behind below beneath between beyond both but by despite during
    each either except for from however if in including inside into its like
    near neither nor of off on onto or our out outside over per since so
    than that the their these this those through throughout to toward towards
    under unlike until upon via when where whereas whether which while with
    within without yet see also all many most some such both""".split()  # noqa: SIM905
)


class Page:
    """One page's text cut into words; ``number`` counts from 1.

    ``gaps[i]`` is the text between word i-1 and word i (what stands before
    the first word for i = 0): enough to tell "New Jersey" from "New.
    Jersey" without the cost of a match object per word. Offsets into the
    text are summed up on first use.
    """

    __slots__ = ("number", "text", "words", "gaps", "_starts", "_keys")

    def __init__(self, number: int, text: str) -> None:
        self.number = number
        self.text = text
        pairs = _GAP_AND_TOKEN.findall(text)
        self.gaps: list[str] = [gap for gap, _ in pairs]
        self.words: list[str] = [word for _, word in pairs]
        self._starts: list[int] | None = None
        self._keys: dict[Callable[[str], str], list[str]] = {}

    @classmethod
    def from_text(cls, number: int, text: str) -> "Page":
        """Tokenise ``text``."""
        return cls(number, text)

    def start(self, i: int) -> int:
        """Offset of word ``i`` in the text."""
        if self._starts is None:
            # start(i) = all gaps up to and including i + all words before i
            gaps = accumulate(map(len, self.gaps))
            words = accumulate(map(len, self.words), initial=0)
            self._starts = list(map(add, gaps, words))
        return self._starts[i]

    def keys(self, key: Callable[[str], str]) -> list[str]:
        """Every word through ``key`` (``fold`` or ``stem``), computed once."""
        if key not in self._keys:
            if key is not fold:
                folded = self.keys(fold)
                keyed = {w: key(w) for w in set(folded)}
                self._keys[key] = [keyed[w] for w in folded]
            elif self.text.isascii():
                self._keys[key] = [w.lower() for w in self.words]
            else:
                self._keys[key] = [fold(w) for w in self.words]
        return self._keys[key]

    def line_at(self, offset: int) -> str:
        """The whole line around ``offset``."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start : end if end >= 0 else len(self.text)]

    def word_before(self, i: int) -> str | None:
        """The word before word ``i`` when only spaces separate them, so
        never across a line break or punctuation."""
        if i == 0 or self.gaps[i].strip(" \t"):
            return None
        return self.words[i - 1]

    def word_after(self, i: int) -> str | None:
        """The word after word ``i`` when only spaces separate them."""
        if i + 1 >= len(self.words) or self.gaps[i + 1].strip(" \t"):
            return None
        return self.words[i + 1]


def pages_from_texts(page_texts: Iterable[str]) -> list[Page]:
    """Tokenised pages, numbered from 1."""
    return [Page(n, text) for n, text in enumerate(page_texts, start=1)]


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """``word`` case-folded with accents removed ("Côte" -> "cote")."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A folded word without a plural ending ("policies" -> "policy"), so that
    topic terms match singular and plural alike. Deliberately crude: it only
    has to map both forms of a term to the same key."""
    word = fold(word)  # cached: cheap when ``word`` is already folded
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def is_acronym(surface: str) -> bool:
    """Whether a vocabulary entry is an acronym: no lower-case letter."""
    return any(c.isalpha() for c in surface) and not any(c.islower() for c in surface)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One way of writing a vocabulary entry: a name, an alias or an acronym.

    ``target`` identifies the entry (an id); ``weight`` lets a generic term
    ("prevention") count for less than a specific one ("sextortion"). A
    ``mask`` phrase is matched only to hide the words it covers: an
    organisation's name hides the "Europe" in "Council of Europe" from the
    place names.
    """

    surface: str
    target: str
    weight: float = 1.0
    mask: bool = False
    words: tuple[str, ...] = field(init=False)
    acronym: bool = field(init=False)

    def __post_init__(self) -> None:
        words = tuple(m.group() for m in _TOKEN.finditer(self.surface))
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "acronym", is_acronym(self.surface))


@dataclass(frozen=True, slots=True)
class Mention:
    """A phrase found on a page: tokens ``first`` to ``last`` inclusive.

    ``form`` is how the words were written compared with the vocabulary:
    "exact", "upper" (all capitals), "title" (same capitals, maybe more) or
    "lower" (capitals missing, so probably an ordinary phrase).
    """

    phrase: Phrase
    page: Page
    first: int
    last: int
    form: str

    @property
    def start(self) -> int:
        """Offset of the first word in the page text."""
        return self.page.start(self.first)

    @property
    def text(self) -> str:
        """The words as they appear on the page."""
        end = self.page.start(self.last) + len(self.page.words[self.last])
        return self.page.text[self.start : end]

    @property
    def line(self) -> str:
        """The line the mention starts on."""
        return self.page.line_at(self.start)

    def previous_word(self) -> str | None:
        """The word just before, when only spaces separate them."""
        return self.page.word_before(self.first)

    def next_word(self) -> str | None:
        """The word just after, when only spaces separate them."""
        return self.page.word_after(self.last)


def is_proper_word(word: str | None) -> bool:
    """Whether ``word`` looks like part of a proper noun: capitalised,
    lower-case after the first letter, not a function word ("New", "Chad")."""
    return bool(
        word
        and word[0].isupper()
        and word[1:].islower()
        and word.lower() not in FUNCTION_WORDS
    )


def accept_name(mention: "Mention") -> bool:
    """Whether a name is written as a name: capitalised as in the vocabulary
    and not the tail of a longer proper noun ("Jersey" in "New Jersey",
    "Sexual Abuse" in "Child Sexual Abuse")."""
    if mention.form == "lower":
        return False
    return mention.phrase.acronym or not is_proper_word(mention.previous_word())


class PhraseIndex:
    """Phrases looked up by their first word; see the module docstring.

    ``stemmed`` matches plural and singular forms alike (topic terms);
    ``known_acronyms`` are all-capital words that may stand next to an
    acronym without making its line an all-capitals heading; ``accept``
    turns down a match in its context ("Jersey" in "New Jersey"), letting a
    shorter phrase or the next word be tried instead. Mask phrases are
    matched but never yielded.
    """

    def __init__(
        self,
        phrases: Iterable[Phrase],
        *,
        stemmed: bool = False,
        known_acronyms: Iterable[str] = (),
        accept: Callable[["Mention"], bool] | None = None,
    ) -> None:
        self.key = stem if stemmed else fold
        self.accept = accept
        # Multi-word phrases by their first two keys, longest first, and
        # one-word phrases by their key: common first words ("the",
        # "international") are then rejected by one more dict lookup.
        self.by_pair: dict[tuple[str, str], list[tuple[tuple[str, ...], Phrase]]] = {}
        self.single: dict[str, list[tuple[tuple[str, ...], Phrase]]] = {}
        for phrase in phrases:
            keys = tuple(self.key(w) for w in phrase.words)
            if len(keys) > 1:
                self.by_pair.setdefault(keys[:2], []).append((keys, phrase))
            elif keys:
                self.single.setdefault(keys[0], []).append((keys, phrase))
        for candidates in self.by_pair.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self.firsts = set(self.single) | {pair[0] for pair in self.by_pair}
        self.known_acronyms = set(known_acronyms) | {
            w
            for group in (*self.by_pair.values(), *self.single.values())
            for _, p in group
            if p.acronym
            for w in p.words
        }

    def find(self, page: Page) -> Iterator[Mention]:
        """Mentions on ``page``, left to right, longest phrase first."""
        keys = page.keys(self.key)
        firsts, by_pair, single = self.firsts, self.by_pair, self.single
        resume = 0  # words before this were part of the previous match
        last = len(keys) - 1
        for i, first_key in enumerate(keys):
            if i < resume or first_key not in firsts:
                continue
            mention = None
            if i < last and (first_key, keys[i + 1]) in by_pair:
                mention = self._match_at(page, keys, i, by_pair[first_key, keys[i + 1]])
            if mention is None and first_key in single:
                mention = self._match_at(page, keys, i, single[first_key])
            if mention is None:
                continue
            if not mention.phrase.mask:
                yield mention
            resume = mention.last + 1

    def _match_at(
        self,
        page: Page,
        keys: list[str],
        i: int,
        candidates: list[tuple[tuple[str, ...], Phrase]],
    ) -> Mention | None:
        for phrase_keys, phrase in candidates:
            end = i + len(phrase_keys)
            if tuple(keys[i:end]) != phrase_keys:
                continue
            form = written_form(page.words[i:end], phrase.words)
            if phrase.acronym and not self._acronym_ok(page, i, end - 1, form):
                continue
            mention = Mention(phrase, page, i, end - 1, form)
            if self.accept is None or self.accept(mention):
                return mention
        return None

    def _acronym_ok(self, page: Page, first: int, last: int, form: str) -> bool:
        """An acronym counts when written exactly (or, for long ones such as
        "Interpol", capitalised) and not inside an all-capitals heading, where
        "WHO WE ARE" or "ABOUT US" are ordinary words."""
        if form != "exact" and not (form == "title" and len(page.words[first]) >= 6):
            return False
        for word in (page.word_before(first), page.word_after(last)):
            capitals = word and len(word) >= 2 and word.isupper() and word.isalpha()
            if capitals and word not in self.known_acronyms:
                return False
        return True


def written_form(written: list[str], words: tuple[str, ...]) -> str:
    """Compare words on the page with the vocabulary's; see ``Mention.form``."""
    if list(words) == written:
        return "exact"
    letters = "".join(written)
    if letters.isupper() and len(letters) > 1:
        return "upper"
    for page_word, vocab_word in zip(written, words, strict=True):
        if vocab_word[:1].isupper() and not page_word[:1].isupper():
            return "lower"
    return "title"
