"""Reading a request's arguments, as sections 3.1 and 4 of the protocol allow them.

Each verb admits its own arguments: required ones, optional ones, and an
exclusive one (``resumptionToken``) that may only come alone. Anything else
(an unknown, repeated, missing or malformed argument) is ``badArgument``; a
missing, repeated or unknown verb is ``badVerb``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from clearinghouse.web.oai.errors import BAD_ARGUMENT, BAD_VERB, OAIError


@dataclass(frozen=True)
class VerbArguments:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None

    @property
    def allowed(self) -> set[str]:
        return {*self.required, *self.optional, *filter(None, [self.exclusive])}


LISTING = VerbArguments(
    required=("metadataPrefix",),
    optional=("from", "until", "set"),
    exclusive="resumptionToken",
)
ARGUMENTS = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=("identifier",)),
    "ListSets": VerbArguments(exclusive="resumptionToken"),
    "GetRecord": VerbArguments(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": LISTING,
    "ListRecords": LISTING,
}

# The schema's metadataPrefixType and setSpecType (OAI-PMH.xsd).
PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class DateRange:
    """Selective harvesting bounds: from inclusive, until inclusive at its
    granularity (until=2024-05-01 takes in all of that day)."""

    start: datetime.datetime | None = None
    end_before: datetime.datetime | None = None


@dataclass(frozen=True)
class OAIRequest:
    verb: str
    arguments: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.arguments.get(name)


def read_request(query: Mapping[str, list[str]]) -> OAIRequest:
    """The verb and its arguments, checked; raises OAIError otherwise.

    ``query`` maps each argument name to every value given for it (a
    QueryDict's ``lists()``), so that repeated arguments can be refused.
    """
    verbs = query.get("verb", [])
    if len(verbs) != 1:
        problem = "is missing" if not verbs else "is repeated"
        raise OAIError(BAD_VERB, f"The verb argument {problem}.")
    verb = verbs[0]
    if verb not in ARGUMENTS:
        raise OAIError(BAD_VERB, f"'{verb}' is not an OAI-PMH verb.")
    arguments = {}
    for name, values in query.items():
        if name == "verb":
            continue
        if len(values) > 1:
            raise OAIError(BAD_ARGUMENT, f"The argument '{name}' is repeated.")
        arguments[name] = values[0]
    check_arguments(verb, arguments)
    return OAIRequest(verb, arguments)


def check_arguments(verb: str, arguments: dict[str, str]) -> None:
    spec = ARGUMENTS[verb]
    illegal = sorted(set(arguments) - spec.allowed)
    if illegal:
        raise OAIError(
            BAD_ARGUMENT, f"{verb} does not take the argument '{illegal[0]}'."
        )
    if spec.exclusive and spec.exclusive in arguments:
        others = sorted(set(arguments) - {spec.exclusive})
        if others:
            raise OAIError(
                BAD_ARGUMENT,
                f"'{spec.exclusive}' must come alone, without '{others[0]}'.",
            )
        return
    for name in spec.required:
        if not arguments.get(name):
            raise OAIError(BAD_ARGUMENT, f"{verb} needs the argument '{name}'.")
    check_syntax(arguments)


def check_syntax(arguments: dict[str, str]) -> None:
    prefix = arguments.get("metadataPrefix")
    if prefix is not None and not PREFIX.fullmatch(prefix):
        raise OAIError(BAD_ARGUMENT, f"'{prefix}' is not a metadataPrefix.")
    set_spec = arguments.get("set")
    if set_spec is not None and not SET_SPEC.fullmatch(set_spec):
        raise OAIError(BAD_ARGUMENT, f"'{set_spec}' is not a setSpec.")
    if "identifier" in arguments and not arguments["identifier"]:
        raise OAIError(BAD_ARGUMENT, "The identifier argument is empty.")
    date_range(arguments)


def date_range(arguments: dict[str, str]) -> DateRange:
    """The from/until bounds of a listing request, checked (section 3.3.1)."""
    start = parse_datestamp("from", arguments.get("from"))
    until = parse_datestamp("until", arguments.get("until"))
    if start and until:
        if start[1] != until[1]:
            raise OAIError(
                BAD_ARGUMENT,
                "'from' and 'until' must have the same granularity "
                "(both YYYY-MM-DD or both YYYY-MM-DDThh:mm:ssZ).",
            )
        if start[0] > until[0]:
            raise OAIError(BAD_ARGUMENT, "'from' is later than 'until'.")
    return DateRange(
        start=start[0] if start else None,
        end_before=just_after(*until) if until else None,
    )


def parse_datestamp(
    name: str, text: str | None
) -> tuple[datetime.datetime, datetime.timedelta] | None:
    """(the moment in UTC, its granularity), or None when absent."""
    if text is None:
        return None
    try:
        if DAY.fullmatch(text):
            day = datetime.date.fromisoformat(text)
            moment = datetime.datetime.combine(day, datetime.time(), datetime.UTC)
            return moment, datetime.timedelta(days=1)
        if SECOND.fullmatch(text):
            moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
            return moment.replace(tzinfo=datetime.UTC), datetime.timedelta(seconds=1)
    except ValueError:
        pass
    raise OAIError(
        BAD_ARGUMENT,
        f"'{name}' must be a UTC date, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, "
        f"not '{text}'.",
    )


def just_after(
    moment: datetime.datetime, granularity: datetime.timedelta
) -> datetime.datetime | None:
    """The first moment past ``moment`` at its granularity; None past year 9999."""
    try:
        return moment + granularity
    except OverflowError:
        return None
