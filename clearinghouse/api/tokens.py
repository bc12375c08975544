"""Making, checking and revoking API tokens.

A token is ``chs_`` and 40 random URL-safe characters (about 240 bits), so a
plain SHA-256 digest is enough to store it: there is nothing to guess that a
slow password hash would protect.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from clearinghouse.api.models import ApiToken

TOKEN_PREFIX = "chs_"
PREFIX_SHOWN = 12
# Writing "last used" on every request would make each read a write; once a
# minute is as precise as anyone needs to spot an unused token.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue(token: ApiToken) -> str:
    """Give an unsaved token a fresh secret; returns the secret, shown only now."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(30)
    token.prefix, token.digest = secret[:PREFIX_SHOWN], digest_of(secret)
    return secret


def create_token(user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``, saved; returns it and its secret."""
    token = ApiToken(user=user, name=name.strip()[:100] or "API token")
    secret = issue(token)
    token.save()
    return token, secret


def user_for_token(secret: str) -> AbstractBaseUser | None:
    """The active user a live token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke(token: ApiToken) -> bool:
    """Revoke a token; False when it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return True


def find_tokens(reference: str) -> list[ApiToken]:
    """Tokens named by a whole secret, a shown prefix or a numeric id."""
    reference = reference.strip().rstrip("…")
    if reference.isdigit():
        return list(ApiToken.objects.filter(pk=int(reference)))
    if len(reference) > PREFIX_SHOWN:
        return list(ApiToken.objects.filter(digest=digest_of(reference)))
    if len(reference) < len(TOKEN_PREFIX) + 4:
        return []
    return list(ApiToken.objects.filter(prefix__startswith=reference))
