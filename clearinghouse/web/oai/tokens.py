"""Resumption tokens that need no memory on the server (section 3.5).

A token is the rest of a list request, signed with the site's secret key
(django.core.signing) so that it cannot be forged or altered, and stamped
with the time it was issued so that it expires. It holds::

    {"verb": "ListRecords", "arguments": {"metadataPrefix": "oai_dc", ...},
     "after": ["2024-05-01T10:00:00+00:00", 42], "cursor": 200}

``after`` is the (datestamp, primary key) of the last item sent: the next page
starts strictly after it in that order, so records added or changed during a
harvest never shift the pages (they sort after, with newer datestamps).
ListSets tokens hold an ``offset`` instead. Nothing is kept in the process,
so a token outlives a restart of the server, or is read by another worker.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.utils import timezone

from clearinghouse.web.oai.errors import BAD_RESUMPTION_TOKEN, OAIError

SALT = "clearinghouse.web.oai.resumption-token"
LIFETIME = datetime.timedelta(hours=24)


def write_token(state: dict) -> str:
    return signing.dumps(state, salt=SALT, compress=True)


def read_token(token: str, verb: str) -> dict:
    """The state a token carries; badResumptionToken if forged, old or foreign."""
    try:
        state = signing.loads(token, salt=SALT, max_age=LIFETIME)
    except signing.SignatureExpired:
        raise OAIError(
            BAD_RESUMPTION_TOKEN, "The resumptionToken has expired."
        ) from None
    except signing.BadSignature:
        raise OAIError(
            BAD_RESUMPTION_TOKEN, "The resumptionToken is not one this site issued."
        ) from None
    if not isinstance(state, dict) or state.get("verb") != verb:
        raise OAIError(
            BAD_RESUMPTION_TOKEN, f"The resumptionToken does not belong to {verb}."
        )
    return state


def expiration_date() -> datetime.datetime:
    """When a token issued now stops being accepted."""
    return timezone.now() + LIFETIME
