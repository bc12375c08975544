"""Near-duplicate documents: the same report re-exported, a new edition, and
some translations, told apart from merely similar ones.

A document's ``text_signature`` is two MinHash sketches (datasketch, 128
permutations, fixed seed) packed in about 1 KB of bytes to store beside the
document:

- over word 5-shingles of its text, whose agreement estimates the Jaccard
  similarity of the two texts' shingle sets: a re-export scores near 1, a
  revised edition in between, an unrelated text near 0;
- over 3-shingles of the numbers in the text, in order. Figures, years and
  table values survive translation while every word changes, so a French
  edition of a statistical report shares its number sequences with the
  English one. Reports with few numbers get no such sketch.

What is caught: re-exports and re-prints (text), new editions and annual
series (title plus some shared text), records without text whose titles
match (title), translations of reports that carry figures or tables
(numbers), and translations that kept the original title (title). What is
not: translations of text without numbers whose title was translated too;
those need cross-language embeddings or shared identifiers (DOI, ISBN),
which the catalog compares directly.
"""

import hashlib
import importlib.util
import re
import sys
import types
import unicodedata
import zlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz


def _import_minhash() -> tuple[type, type]:
    """datasketch's ``MinHash`` and ``LeanMinHash``, without running the
    package's ``__init__``: it imports every sketch datasketch has, and
    scipy with its LSH, which costs each extraction worker most of a second
    at start for two classes. The placeholder package is removed again, so
    that a later ``import datasketch`` gets the whole package."""
    if "datasketch" in sys.modules:
        from datasketch import LeanMinHash, MinHash

        return MinHash, LeanMinHash
    spec = importlib.util.find_spec("datasketch")
    placeholder = types.ModuleType("datasketch")
    placeholder.__path__ = list(spec.submodule_search_locations or [])
    sys.modules["datasketch"] = placeholder
    try:
        from datasketch.lean_minhash import LeanMinHash
        from datasketch.minhash import MinHash
    finally:
        del sys.modules["datasketch"]
    return MinHash, LeanMinHash


MinHash, LeanMinHash = _import_minhash()

NUM_PERM = 128
SEED = 20240601
# datasketch 2 has several permutation schemes; naming it keeps stored
# signatures comparable across library upgrades that change the default.
SCHEME = "affine32"
WORDS_PER_SHINGLE = 5
NUMBERS_PER_SHINGLE = 3
# Below this many number shingles, shared figures prove nothing.
MIN_NUMBER_SHINGLES = 20
# First byte of every signature: bump it when the recipe above changes, and
# signatures of another version compare as 0 instead of as garbage.
FORMAT_VERSION = 1
# Shingles hashed per numpy batch: bounds memory on 2,000-page documents.
BATCH = 50_000

TEXT_THRESHOLD = 0.8
TITLE_THRESHOLD = 0.9
EDITION_TEXT_THRESHOLD = 0.25
NUMBER_THRESHOLD = 0.5
# (bands, rows per band) for band_keys; bands * rows <= NUM_PERM.
TEXT_BANDS = (42, 3)
NUMBER_BANDS = (25, 5)

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+")
# A hyphen ending a line inside a word; starts with a literal for speed.
_BROKEN_WORD = re.compile(r"-\n(?=\w)")
_SKETCH_SIZE = LeanMinHash(MinHash(NUM_PERM, SEED, scheme=SCHEME)).bytesize("<")
# Drawn once: MinHash would draw the same permutations again for each sketch.
_PERMUTATIONS = MinHash(NUM_PERM, SEED, scheme=SCHEME).permutations

#: (record id, score 0-1, reason in a curator's words)
Match = tuple[Hashable, float, str]


def text_signature(text: str) -> bytes:
    """A signature of ``text`` to store and compare with ``similarity``."""
    text = _BROKEN_WORD.sub("", text)  # "exploi-\ntation" -> "exploitation"
    words = _WORD.findall(text.casefold())
    numbers = _NUMBER.findall(text)
    word_sketch = _sketch(_shingle_hashes(words, WORDS_PER_SHINGLE))
    number_hashes = _shingle_hashes(numbers, NUMBERS_PER_SHINGLE)
    if len(number_hashes) < MIN_NUMBER_SHINGLES:
        number_hashes = np.empty(0, dtype=np.uint32)
    return bytes([FORMAT_VERSION]) + word_sketch + _sketch(number_hashes)


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of two texts' word 5-shingles (0-1);
    0 when either text was empty or the signatures are of another format."""
    return _jaccard(_hashvalues(sig_a, 0), _hashvalues(sig_b, 0))


def number_similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' number sequences (0-1);
    0 when either has too few numbers to say."""
    return _jaccard(_hashvalues(sig_a, 1), _hashvalues(sig_b, 1))


def normalise_title(title: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def title_similarity(a: str, b: str) -> float:
    """rapidfuzz's token set ratio of the normalised titles, 0-1: word order
    and a title's extra words (a subtitle) do not count against it."""
    a, b = normalise_title(a or ""), normalise_title(b or "")
    if not a or not b:
        return 0.0
    return fuzz.token_set_ratio(a, b) / 100


def find_near_duplicates(
    candidate_sig: bytes | None,
    candidate_title: str | None,
    others: Iterable[tuple[Hashable, bytes | None, str | None]],
    *,
    threshold: float = TEXT_THRESHOLD,
    title_threshold: float = TITLE_THRESHOLD,
    edition_threshold: float = EDITION_TEXT_THRESHOLD,
    number_threshold: float = NUMBER_THRESHOLD,
) -> list[Match]:
    """Records among ``others`` (id, signature, title) that may be the same
    document, best first, each with the reason in words ("text 93 %
    similar"). Either side may lack a signature (a record without a file)
    or a title."""
    found = []
    for other_id, other_sig, other_title in others:
        evidence = Evidence.between(
            candidate_sig, candidate_title, other_sig, other_title
        )
        verdict = evidence.verdict(
            threshold, title_threshold, edition_threshold, number_threshold
        )
        if verdict:
            found.append((other_id, *verdict))
    return sorted(found, key=lambda match: -match[1])


@dataclass(frozen=True)
class Evidence:
    """How alike two records are: text, numbers and title, each 0-1, and
    whether both had text to compare."""

    text: float
    numbers: float
    title: float
    both_have_text: bool
    title_words: int

    @classmethod
    def between(
        cls,
        sig_a: bytes | None,
        title_a: str | None,
        sig_b: bytes | None,
        title_b: str | None,
    ) -> "Evidence":
        both = bool(sig_a and sig_b and _has_text(sig_a) and _has_text(sig_b))
        return cls(
            text=similarity(sig_a, sig_b) if both else 0.0,
            numbers=number_similarity(sig_a, sig_b) if both else 0.0,
            title=title_similarity(title_a or "", title_b or ""),
            both_have_text=both,
            title_words=min(
                len(normalise_title(title_a or "").split()),
                len(normalise_title(title_b or "").split()),
            ),
        )

    def verdict(
        self,
        threshold: float,
        title_threshold: float,
        edition_threshold: float,
        number_threshold: float,
    ) -> tuple[float, str] | None:
        """(score, reason) when the records may be duplicates, else None."""
        title_alike = self.title >= title_threshold
        if self.text >= threshold:
            also = f", title {_percent(self.title)} similar" if title_alike else ""
            return self.text, f"text {_percent(self.text)} similar{also}"
        if title_alike and self.text >= edition_threshold:
            reason = (
                f"title {_percent(self.title)} similar, text "
                f"{_percent(self.text)} similar: possibly another edition"
            )
            return (self.title + self.text) / 2, reason
        if self.numbers >= number_threshold:
            reason = (
                f"{_percent(self.numbers)} of the figures appear in the same "
                f"order, text {_percent(self.text)} similar: possibly a translation"
            )
            return 0.8 * self.numbers, reason
        if title_alike and self.title_words >= 3:
            if not self.both_have_text:
                return 0.9 * self.title, f"title {_percent(self.title)} similar"
            reason = (
                f"title {_percent(self.title)} similar but text only "
                f"{_percent(self.text)} similar: a translation, or another "
                "document with the same title"
            )
            return 0.5 * self.title, reason
        return None


def band_keys(sig: bytes | None) -> list[int]:
    """The signature's LSH band keys, to store in an indexed column: two
    documents sharing a key are worth scoring with ``find_near_duplicates``.

    Each sketch is cut into bands of a few hash values; texts whose sketches
    agree on a whole band are likely similar. Band sizes are datasketch's
    optimum for candidates from about 25 % text similarity (new editions) and
    50 % figure similarity (translations); the verdict applies the real
    thresholds. A key is the band's part, number and values hashed to 63 bits.
    """
    keys = []
    for part, (bands, rows) in enumerate((TEXT_BANDS, NUMBER_BANDS)):
        values = _hashvalues(sig, part)
        if values is None:
            continue
        for band in range(bands):
            chunk = values[band * rows : (band + 1) * rows].astype("<u8").tobytes()
            digest = hashlib.blake2b(bytes([part, band]) + chunk, digest_size=8)
            keys.append(int.from_bytes(digest.digest(), "little") >> 1)
    return keys


def _shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """32-bit hashes of every run of ``size`` tokens, each distinct once.

    Each distinct token is hashed once (CRC-32: stable across processes,
    unlike ``hash()``), and the runs are combined with numpy; MinHash's own
    mixing step evens out CRC-32's weaknesses.
    """
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    token_hash = {t: zlib.crc32(t.encode()) for t in set(tokens)}
    values = np.fromiter((token_hash[t] for t in tokens), np.uint64, len(tokens))
    if len(values) < size:
        size = len(values)  # a short text is one shingle
    combined = np.zeros(len(values) - size + 1, dtype=np.uint64)
    for offset in range(size):
        window = values[offset : offset + len(combined)]
        combined = combined * np.uint64(1_000_003) + window  # wraps mod 2**64
    folded = (combined ^ (combined >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return np.unique(folded.astype(np.uint32))


def _sketch(hashes: np.ndarray) -> bytes:
    minhash = MinHash(
        NUM_PERM, SEED, hashfunc=_identity, permutations=_PERMUTATIONS, scheme=SCHEME
    )
    for start in range(0, len(hashes), BATCH):
        minhash.update_batch(hashes[start : start + BATCH])
    lean = LeanMinHash(minhash)
    buffer = bytearray(lean.bytesize("<"))
    lean.serialize(buffer, byteorder="<")
    return bytes(buffer)


def _identity(value: int) -> int:
    # The shingles are hashed already (see _shingle_hashes).
    return value


@lru_cache(maxsize=4096)
def _decode(sig: bytes, part: int) -> LeanMinHash | None:
    if len(sig) != 1 + 2 * _SKETCH_SIZE or sig[0] != FORMAT_VERSION:
        return None
    start = 1 + part * _SKETCH_SIZE
    return LeanMinHash.deserialize(sig[start : start + _SKETCH_SIZE], byteorder="<")


def _sketch_of(sig: bytes | None, part: int) -> LeanMinHash | None:
    """Sketch ``part`` (0 words, 1 numbers) of a signature, None if empty."""
    if not sig:
        return None
    sketch = _decode(sig, part)
    return None if sketch is None or sketch.is_empty() else sketch


def _hashvalues(sig: bytes | None, part: int) -> np.ndarray | None:
    sketch = _sketch_of(sig, part)
    return None if sketch is None else sketch.hashvalues


def _jaccard(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def _has_text(sig: bytes) -> bool:
    return _sketch_of(sig, 0) is not None


def _percent(value: float) -> str:
    return f"{round(100 * value)} %"
