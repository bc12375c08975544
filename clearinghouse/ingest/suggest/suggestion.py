"""The shape of a suggestion, shared by every field's suggester."""

from dataclasses import asdict, dataclass

#: Field names, as in the native JSON Lines format (docs/formats.md).
FIELDS = ("title", "date", "publishers", "doi", "isbn", "topics", "regions", "summary")


@dataclass(frozen=True)
class Suggestion:
    """A value proposed for one field of a record, for a curator to accept.

    ``field`` is one of ``FIELDS``. ``value`` is what the record would hold:
    the text of a title or summary, a partial ISO date ("2021", "2022-05",
    "2021-09-01", its length giving the precision), an organisation, topic or
    region id from the vocabulary, a DOI, or an ISBN's digits. List fields
    (publishers, topics, regions, isbn) get one suggestion per value, best
    first. ``source`` says where it was found, in a curator's words;
    ``confidence`` runs from 0 to 1; ``label`` names a vocabulary entry
    ("International Labour Organization" for its id) where ``value`` is one.
    """

    field: str
    value: str
    source: str
    confidence: float
    label: str = ""

    def to_dict(self) -> dict[str, str | float]:
        """A plain dict, as stored in ``Document.suggestions`` (JSON)."""
        return asdict(self)


def clamp(confidence: float, low: float = 0.05, high: float = 0.98) -> float:
    """``confidence`` kept inside [low, high] and rounded for display: no
    heuristic here is ever certain, nor worth showing below 5 %."""
    return round(min(high, max(low, confidence)), 2)


def page_list(numbers: list[int]) -> str:
    """ "page 3", "pages 1 and 12", "pages 1, 2 and 12"."""
    numbers = sorted(set(numbers))
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    head = ", ".join(str(n) for n in numbers[:-1])
    return f"pages {head} and {numbers[-1]}"


def times(count: int) -> str:
    """ "once", "twice", "4 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")
