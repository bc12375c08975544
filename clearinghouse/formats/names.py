"""People's names: the library's one string ("Anna van der Berg") and the parts
citation formats want (family "van der Berg", given "Anna").

Splitting follows BibTeX's rules (bibtexparser implements them): "First von
Last", "von Last, First" or "von Last, Jr, First"; lower-case words before the
last name are its particle and stay with the family name, as CSL and Zotero
keep them. Organisations are never split: they travel whole, as CSL
``literal`` names, double-braced BibTeX names and comma-less RIS names.
"""

from __future__ import annotations

from dataclasses import dataclass

from bibtexparser.middlewares.names import parse_single_name_into_parts


@dataclass(frozen=True)
class PersonName:
    family: str
    given: str = ""
    suffix: str = ""

    @property
    def display(self) -> str:
        """The library's form: "Anna van der Berg"."""
        return " ".join(part for part in (self.given, self.family, self.suffix) if part)

    @property
    def inverted(self) -> str:
        """BibTeX's and RIS's form: "van der Berg, Anna" ("van der Berg, Jr, Anna")."""
        if not self.given and not self.suffix:
            return self.family
        return ", ".join(
            part for part in (self.family, self.suffix, self.given) if part
        )

    def csl(self) -> dict:
        name = {"family": self.family, "given": self.given}
        if self.suffix:
            name["suffix"] = self.suffix
        return {key: value for key, value in name.items() if value}


def split_name(name: str) -> PersonName:
    """Parts of "Anna van der Berg", "van der Berg, Anna" or "Plato"."""
    parts = parse_single_name_into_parts(name.strip(), strict=False)
    family = " ".join(parts.von + parts.last)
    given = " ".join(parts.first)
    if not family:  # ", Anna": only a given name survives
        family, given = given, ""
    return PersonName(family=family, given=given, suffix=" ".join(parts.jr))


def name_from_csl(name: dict) -> tuple[str, bool]:
    """(the library's form of a CSL name, whether it is an organisation)."""
    if name.get("literal"):
        return str(name["literal"]).strip(), True
    family = " ".join(
        str(name[key]).strip()
        for key in ("non-dropping-particle", "family")
        if name.get(key)
    )
    given = " ".join(
        str(name[key]).strip()
        for key in ("given", "dropping-particle")
        if name.get(key)
    )
    person = PersonName(family=family, given=given, suffix=str(name.get("suffix", "")))
    return person.display.strip(), False
