"""The demo library in a real browser: Debian's headless Chromium against `demo`.

A reader's path: the home page, a search, a facet, a resource page. Screenshots go
to test-artifacts/; with CLEARINGHOUSE_UPDATE_SCREENSHOT=1 the README's
docs/screenshot.png is rewritten too. Every request the pages make must go to the
demo server itself: the site loads nothing from third parties.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 900}
STARTUP_SECONDS = 90
#: The data folder of each demo server, by origin.
DATA_DIRS: dict[str, Path] = {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(origin: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"demo exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{origin}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"demo did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real `clearinghouse demo`, served by gunicorn on a free local port."""
    data_dir = tmp_path_factory.mktemp("browser-demo")
    log = data_dir.parent / "browser-demo.log"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLEARINGHOUSE_DATA_DIR"] = str(data_dir)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    port = free_port()
    command = [sys.executable, "-m", "clearinghouse", "demo"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    origin = f"http://127.0.0.1:{port}"
    DATA_DIRS[origin] = data_dir
    try:
        wait_until_healthy(origin, server, log)
        yield origin
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    server.terminate()  # gunicorn's master stops its workers on SIGTERM
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture
def visit(browser: Browser, origin: str) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page and the list of every URL it requests."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    yield page, requested
    context.close()


def elsewhere(requested: list[str], origin: str) -> list[str]:
    """Requests that left the demo server (data: URLs never do)."""
    return [
        url
        for url in requested
        if not url.startswith(f"{origin}/") and not url.startswith("data:")
    ]


def results_total(page: Page) -> int:
    """The number in the results heading ("1,204 resources for ‘x’")."""
    heading = page.locator("#results-heading").inner_text()
    return int(re.match(r"[\d,]+", heading).group().replace(",", ""))


def snapshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_it_shows_featured_resources_on_the_home_page(
    visit: tuple[Page, list[str]], origin: str
) -> None:
    page, requested = visit
    page.goto(f"{origin}/")
    assert "Clearinghouse" in page.title()
    assert page.get_by_role("heading", level=1).inner_text().strip()
    featured = page.get_by_role("region", name="Featured", exact=True)
    assert featured.get_by_role("article").count() >= 3
    snapshot(page, "home")
    assert f"{origin}/" in requested  # the recorder works
    assert elsewhere(requested, origin) == []


def test_it_searches_filters_and_opens_a_resource(
    visit: tuple[Page, list[str]], origin: str
) -> None:
    page, requested = visit
    page.goto(f"{origin}/")

    page.locator("input[name=q]").first.fill("trafficking")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/library/\?q=trafficking$"))
    assert "for ‘trafficking’" in page.locator("#results-heading").inner_text()
    total = results_total(page)
    cards = page.locator("#results").get_by_role("article")
    assert 1 <= cards.count() <= total
    snapshot(page, "search")
    if os.environ.get("CLEARINGHOUSE_UPDATE_SCREENSHOT") == "1":
        page.screenshot(path=ROOT / "docs" / "screenshot.png")

    facets = page.get_by_role("complementary", name="Filter by")
    facet = facets.locator("a[href*='type=']").first
    label = facet.locator(".facet__label").inner_text().strip()
    facet.click()
    page.wait_for_url(re.compile(r"type="))
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["trafficking"] and len(query["type"]) == 1
    chip = page.locator(".chips a.chip")
    assert chip.count() == 1 and label in chip.inner_text()
    assert 1 <= results_total(page) <= total
    snapshot(page, "filtered")

    first = page.locator("#results a[href^='/resources/']").first
    title = first.inner_text().strip()
    first.click()
    page.wait_for_url(re.compile(r"/resources/[\w-]+/$"))
    assert page.get_by_role("heading", level=1).inner_text().strip() == title
    download = page.get_by_role("link", name=re.compile(r"^Download "))
    assert download.count() >= 1
    assert re.search(r"/documents/\d+/$", download.first.get_attribute("href"))
    snapshot(page, "resource")

    assert elsewhere(requested, origin) == []


def write_report(path: Path) -> Path:
    """A small real PDF with a title set large, as a report's cover is."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica-Bold", 22)
    canvas.drawString(60, 700, "Referral pathways for survivors")
    canvas.setFont("Helvetica", 11)
    body = "Social workers and hotlines refer survivors of trafficking to shelters."
    for line in range(12):
        canvas.drawString(60, 640 - 16 * line, body)
    canvas.showPage()
    canvas.save()
    return path


def test_a_curator_signs_in_and_uploads_documents(
    visit: tuple[Page, list[str]], origin: str, tmp_path: Path
) -> None:
    """Sign-in and uploads are form posts: the browser's own Origin and
    Referer headers must pass the CSRF check. The demo's worker reads the PDF;
    the image is refused at the door."""
    from PIL import Image

    page, requested = visit
    password = (DATA_DIRS[origin] / "demo-curator-password.txt").read_text().strip()
    page.goto(f"{origin}/admin/")
    page.locator("input[name=username]").fill("curator")
    page.locator("input[name=password]").fill(password)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{origin}/admin/")

    page.goto(f"{origin}/admin/catalog/resource/upload/")
    image = tmp_path / "cover.png"
    Image.new("RGB", (40, 40), "white").save(image)
    report = write_report(tmp_path / "referral_pathways.pdf")
    page.locator("input[type=file]").set_input_files([str(report), str(image)])
    page.locator("input[type=submit][value=Upload]").click()
    results = page.locator("#upload-results")
    assert "documents only" in results.locator(".upload-refused").inner_text()
    record = results.locator(".upload-ok a")
    record.click()
    page.wait_for_url(re.compile(r"/admin/catalog/resource/\d+/change/"))
    deadline = time.monotonic() + 60
    while "Referral pathways for survivors" not in page.content():
        assert time.monotonic() < deadline, "the worker did not read the upload"
        time.sleep(1)
        page.reload()
    snapshot(page, "admin-upload")
    assert elsewhere(requested, origin) == []
