"""Mail to curators and readers about applications and access requests.

Sent with Django's configured backend (docs/operating.md, "Email"): by default
messages are written as files in the data folder and nothing leaves the
machine. A message that cannot be sent is logged, never lost in a 500: the
decision it announces is already stored and shown in the admin.
"""

from __future__ import annotations

import logging
import smtplib

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string

from clearinghouse.catalog.roles import ADMINISTRATOR

logger = logging.getLogger(__name__)


def curator_addresses() -> list[str]:
    """Administrators' and superusers' addresses: who decides requests."""
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name=ADMINISTRATOR), is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def send(to: list[str], template: str, context: dict) -> bool:
    """Render ``catalog/email/<template>.txt`` (first line: the subject) and
    send it; False when there is nobody to send to or sending failed."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    subject, _, body = render_to_string(
        f"catalog/email/{template}.txt", context
    ).partition("\n")
    try:
        # One line, whatever a reader typed into a name or title.
        send_mail(" ".join(subject.split()), body.strip() + "\n", None, recipients)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Could not send %r mail: %s", template, error)
        return False
    return True
