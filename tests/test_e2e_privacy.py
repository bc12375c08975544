"""Privacy and hardened headers in a real browser: Debian's headless Chromium
against `clearinghouse demo`, with one record withdrawn, one a draft and one
for members only.

Every page type an anonymous reader meets must load from the demo server
alone, raise no Content-Security-Policy violation and leave no cookie; a
curator then signs in and saves an admin form, which works only if the pages
with forms send a Referrer-Policy that keeps the browser's Origin header.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.test_e2e_browser import free_port, stop, wait_until_healthy

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STARTUP_SECONDS = 300
# Recorded before any page script runs; CSP does not apply to init scripts.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
ARRANGE = """
import json
from clearinghouse.catalog.models import Resource
first = list(Resource.objects.filter(status="published").order_by("pk")[:4])
Resource.objects.filter(pk=first[0].pk).update(
    status="withdrawn", withdrawn_reason="Superseded by a newer edition."
)
Resource.objects.filter(pk=first[1].pk).update(status="draft")
Resource.objects.filter(pk=first[2].pk).update(access="members")
print(json.dumps({
    "withdrawn": first[0].slug,
    "hidden": [first[1].title, first[2].title],
    "edited": {"pk": first[3].pk, "slug": first[3].slug},
    "shown": Resource.objects.public().count(),
}))
"""


@dataclass
class Demo:
    origin: str
    data_dir: Path
    records: dict = field(default_factory=dict)


def run(data_dir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARINGHOUSE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["CLEARINGHOUSE_DATA_DIR"] = str(data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "clearinghouse", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data_dir = tmp_path_factory.mktemp("privacy-demo")
    run(data_dir, "demo", "--no-serve")
    records = json.loads(run(data_dir, "shell", "-c", ARRANGE).splitlines()[-1])
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARINGHOUSE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["CLEARINGHOUSE_DATA_DIR"] = str(data_dir)
    log = data_dir.parent / "privacy-demo.log"
    command = [sys.executable, "-m", "clearinghouse", "demo", "--port", str(port)]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(origin, server, log)
        yield Demo(origin, data_dir, records)
    finally:
        stop(server)


@dataclass
class Visit:
    """A fresh browser context, its page, and what the page did."""

    context: BrowserContext
    page: Page
    requested: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def collect(self, label: str) -> None:
        """Keep the violations the current page recorded, named by ``label``."""
        found = self.page.evaluate("window.__violations || []")
        self.violations += [f"{label}: {violation}" for violation in found]


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    seen = Visit(context, page)
    page.on("request", lambda request: seen.requested.append(request.url))
    page.on("console", lambda message: seen.console.append(message.text))
    yield seen
    context.close()


def elsewhere(requested: list[str], origin: str) -> list[str]:
    return [
        url
        for url in requested
        if not url.startswith(f"{origin}/") and not url.startswith("data:")
    ]


def csp_messages(console: list[str]) -> list[str]:
    return [text for text in console if "Content Security Policy" in text]


def test_it_keeps_every_page_a_reader_meets_on_the_site_without_cookies(
    visit: Visit, demo: Demo
) -> None:
    page, origin = visit.page, demo.origin
    home = page.goto(f"{origin}/")
    assert home.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
    visit.collect("home")

    page.goto(f"{origin}/library/")
    heading = page.locator("#results-heading").inner_text()
    assert heading.startswith(f"{demo.records['shown']:,} resources")
    visit.collect("library")

    page.locator("input[name=q]").first.fill("trafficking")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/library/\?q=trafficking$"))
    filters = page.get_by_role("complementary", name="Filter by")
    filters.locator("a[href*='type=']").first.click()
    page.wait_for_url(re.compile(r"type="))
    visit.collect("search with a facet")

    page.locator("#results a[href^='/resources/']").first.click()
    page.wait_for_url(re.compile(r"/resources/[\w-]+/$"))
    visit.collect("detail")
    page.locator(".resource__byline a").first.click()
    page.wait_for_url(re.compile(r"/organisations/[\w-]+/$"))
    visit.collect("organisation")

    page.goto(f"{origin}/topics/")
    visit.collect("topics")
    page.locator(".topic-tree a").first.click()
    page.wait_for_url(re.compile(r"/topics/[\w-]+/$"))
    visit.collect("topic")

    for title in demo.records["hidden"]:
        page.goto(f"{origin}/library/?q={title}")
        cards = " ".join(page.locator("main article").all_inner_texts())
        assert title not in cards, title
    visit.collect("hidden records")

    tombstone = page.goto(f"{origin}/resources/{demo.records['withdrawn']}/")
    assert tombstone.status == 410
    assert "Superseded by a newer edition." in page.content()
    visit.collect("tombstone")
    missing = page.goto(f"{origin}/resources/no-such-record/")
    assert missing.status == 404
    visit.collect("404")
    page.goto(f"{origin}/privacy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy"
    visit.collect("privacy")
    page.goto(f"{origin}/accounts/login/")
    visit.collect("sign-in")
    page.goto(f"{origin}/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()
    visit.collect("api docs")

    assert elsewhere(visit.requested, origin) == []
    assert (visit.violations, csp_messages(visit.console)) == ([], [])
    # Only the sign-in page, which holds a form, set a cookie: its CSRF token.
    assert [cookie["name"] for cookie in visit.context.cookies()] == ["csrftoken"]


def test_it_leaves_no_cookie_before_sign_in(visit: Visit, demo: Demo) -> None:
    page, origin = visit.page, demo.origin
    for path in ("/", "/library/?q=grooming", "/topics/", "/privacy/", "/api/docs"):
        page.goto(f"{origin}{path}")
    page.goto(f"{origin}/resources/{demo.records['edited']['slug']}/")
    page.goto(f"{origin}/resources/no-such-record/")
    assert visit.context.cookies() == []


def test_it_lets_a_curator_sign_in_and_save_an_admin_form(
    visit: Visit, demo: Demo
) -> None:
    page, origin = visit.page, demo.origin
    password = (demo.data_dir / "demo-curator-password.txt").read_text().strip()
    sign_in = page.goto(f"{origin}/accounts/login/?next=/admin/")
    assert sign_in.headers["referrer-policy"] == "same-origin"
    page.locator("input[name=username]").fill("curator")
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{origin}/admin/")
    visit.collect("admin index")

    edited = demo.records["edited"]
    page.goto(f"{origin}/admin/catalog/resource/{edited['pk']}/change/")
    assert page.get_by_text("views and downloads, last 30 days").count() == 1
    warning = "Describes the exploitation of children in general terms."
    page.locator("[name=content_warning]").fill(warning)
    page.locator("input[name=_continue]").click()
    page.wait_for_url(re.compile(r"/change/$"))
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    visit.collect("admin change form")

    detail = page.goto(f"{origin}/resources/{edited['slug']}/")
    assert detail.headers["referrer-policy"] == "same-origin"  # sign-out form
    order = page.evaluate(
        """() => {
          const warning = document.querySelector(".warning-panel");
          const summary = document.querySelector(".resource__summary");
          return warning.compareDocumentPosition(summary)
            & Node.DOCUMENT_POSITION_FOLLOWING;
        }"""
    )
    assert page.locator(".warning-panel__text").inner_text() == warning
    assert order, "the content warning comes before the summary"
    visit.collect("detail signed in")

    assert elsewhere(visit.requested, origin) == []
    assert (visit.violations, csp_messages(visit.console)) == ([], [])
