"""Language detection with lingua, among the languages of this sector.

lingua is the most accurate detector for short and mixed texts. Restricting
it to the languages below and using its low-accuracy mode (trigrams only)
keeps it at about 40 MB and half a second to load, where all 75 languages in
high-accuracy mode take some 400 MB and ten seconds; on a document's first
thousands of characters the low mode is as accurate.
"""

import re
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

#: ISO 639-1 codes of the languages detected: the UN's six, the main languages
#: of the regions the sector's reports cover, and the main European ones.
LANGUAGES = (
    "en",
    "fr",
    "es",
    "pt",
    "de",
    "it",
    "nl",
    "ar",
    "ru",
    "uk",
    "zh",
    "ja",
    "ko",
    "th",
    "vi",
    "id",
    "tl",
    "ms",
    "sw",
    "hi",
    "bn",
    "ur",
    "fa",
    "tr",
    "pl",
    "ro",
    "fi",
    "sv",
    "so",
    "yo",
)
#: Characters of text looked at: enough for a sure answer on prose (lingua's
#: time grows with the sample; 2,000 characters take a few milliseconds).
SAMPLE_CHARS = 2000
#: Fewer letters than this give no reliable answer.
MIN_LETTERS = 40
_LETTERS = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the main language of ``text``, or None when there
    is too little text or no language is clearly ahead."""
    sample = " ".join(text[: SAMPLE_CHARS * 2].split())[:SAMPLE_CHARS]
    if len(_LETTERS.findall(sample)) < MIN_LETTERS:
        return None
    language = detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None


@cache
def detector() -> LanguageDetector:
    """The detector, built on first use and kept for the process's life."""
    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in LANGUAGES
    ]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return builder.with_low_accuracy_mode().build()
