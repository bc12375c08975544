"""API tokens: made (by command, admin or function), shown once, stored as a
hash, checked on every request, revocable."""

import datetime
import hashlib
import io

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from clearinghouse.api.models import ApiToken
from clearinghouse.api.tokens import create_token, revoke, user_for_token
from tests.world import make_personas, make_resource


def run_token(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TokenTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.member, cls.editor = personas["member"], personas["editor"]
        make_resource("Members briefing", slug="members", access="members")

    def titles_for(self, secret: str) -> tuple[int, list[str]]:
        response = self.client.get(
            "/api/resources", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
        body = response.json()
        return response.status_code, [r["title"] for r in body.get("results", [])]


class TokenLifecycleTests(TokenTestCase):
    def test_it_stores_only_a_hash_of_the_token(self) -> None:
        token, secret = create_token(self.member, "reading list")
        stored = ApiToken.objects.get(pk=token.pk)
        self.assertEqual(
            (
                True,
                44,
                hashlib.sha256(secret.encode()).hexdigest(),
                secret[:12],
                "reading list",
            ),
            (
                secret.startswith("chs_"),
                len(secret),
                stored.digest,
                stored.prefix,
                stored.name,
            ),
        )
        self.assertNotIn(secret, str(ApiToken.objects.values().get(pk=token.pk)))

    def test_it_lets_a_token_read_as_its_user_and_records_the_use(self) -> None:
        token, secret = create_token(self.member, "reader")
        self.assertEqual((200, ["Members briefing"]), self.titles_for(secret))
        token.refresh_from_db()
        self.assertLess(
            timezone.now() - token.last_used_at, datetime.timedelta(seconds=5)
        )

    def test_it_records_use_at_most_once_a_minute(self) -> None:
        token, secret = create_token(self.member, "reader")
        earlier = timezone.now() - datetime.timedelta(seconds=30)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
        user_for_token(secret)
        token.refresh_from_db()
        self.assertEqual(earlier, token.last_used_at)

    def test_it_refuses_a_revoked_token(self) -> None:
        token, secret = create_token(self.member, "reader")
        self.assertEqual((True, False), (revoke(token), revoke(token)))
        response = self.client.get(
            "/api/resources", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
        self.assertEqual(
            (
                401,
                'Bearer realm="api"',
                "The API token is not valid: it may be "
                "mistyped, revoked or its user disabled.",
            ),
            (
                response.status_code,
                response["WWW-Authenticate"],
                response.json()["detail"],
            ),
        )

    def test_it_refuses_the_token_of_a_disabled_user(self) -> None:
        _, secret = create_token(self.member, "reader")
        User.objects.filter(pk=self.member.pk).update(is_active=False)
        self.assertEqual((401, []), self.titles_for(secret))

    def test_it_never_falls_back_to_anonymous_for_a_bad_token(self) -> None:
        for header in ["Bearer nope", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"]:
            with self.subTest(header=header):
                response = self.client.get("/api/resources", HTTP_AUTHORIZATION=header)
                self.assertEqual(
                    (401, "application/problem+json"),
                    (response.status_code, response["Content-Type"]),
                )


class TokenCommandTests(TokenTestCase):
    def test_it_creates_a_token_and_prints_only_the_secret_on_stdout(self) -> None:
        out, err = run_token("create", "member", "--name", "harvest script")
        secret = out.strip()
        token = ApiToken.objects.get()
        self.assertEqual(
            ("harvest script", self.member, True),
            (token.name, token.user, f"Token {token.pk} “harvest script”" in err),
        )
        self.assertEqual((200, ["Members briefing"]), self.titles_for(secret))

    def test_it_revokes_by_prefix_id_or_whole_token(self) -> None:
        for reference in ("prefix", "id", "secret"):
            with self.subTest(reference=reference):
                token, secret = create_token(self.member, reference)
                given = {"prefix": token.prefix, "id": str(token.pk), "secret": secret}
                out, _ = run_token("revoke", given[reference])
                token.refresh_from_db()
                self.assertEqual(
                    (True, f"Revoked token {token.pk} {reference} ({token.prefix}…)."),
                    (token.revoked_at is not None, out.strip()),
                )
                self.assertEqual((401, []), self.titles_for(secret))

    def test_it_lists_tokens_without_their_secrets(self) -> None:
        token, secret = create_token(self.member, "reader")
        revoke(create_token(self.editor, "old")[0])
        out, _ = run_token("list")
        lines = [line.split("\t")[1:5] for line in out.strip().splitlines()]
        self.assertEqual(
            [
                [f"{token.prefix}…", "member", "reader", "active"],
                [lines[1][0], "editor", "old", "revoked"],
            ],
            lines,
        )
        self.assertNotIn(secret, out)

    def test_it_explains_what_it_cannot_do(self) -> None:
        cases = {
            ("create", "nobody"): "There is no user 'nobody'.",
            (
                "revoke",
                "chs_nothing-like-it",
            ): "No token matches 'chs_nothing-like-it'.",
            ("revoke", "ch"): "No token matches 'ch'.",
        }
        for args, message in cases.items():
            with (
                self.subTest(args=args),
                self.assertRaisesMessage(CommandError, message),
            ):
                run_token(*args)


class TokenAdminTests(TokenTestCase):
    def test_it_shows_a_new_token_once_in_the_admin(self) -> None:
        admin = User.objects.create_superuser("root", password="root-pass-1234")
        self.client.force_login(admin)
        response = self.client.post(
            reverse("admin:api_apitoken_add"),
            {"user": self.member.pk, "name": "from the admin"},
            follow=True,
        )
        message = [str(m) for m in response.context["messages"]][0]
        secret = message.split("The new token is ")[1].split(" ")[0]
        token = ApiToken.objects.get()
        self.assertEqual((token.prefix, "from the admin"), (secret[:12], token.name))
        self.client.logout()
        self.assertEqual((200, ["Members briefing"]), self.titles_for(secret))

    def test_it_revokes_tokens_with_an_admin_action(self) -> None:
        admin = User.objects.create_superuser("root", password="root-pass-1234")
        token, secret = create_token(self.member, "reader")
        self.client.force_login(admin)
        self.client.post(
            reverse("admin:api_apitoken_changelist"),
            {"action": "revoke_tokens", "_selected_action": [token.pk]},
        )
        self.client.logout()
        self.assertEqual((401, []), self.titles_for(secret))
