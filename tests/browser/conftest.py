"""Browser tests: Playwright (Python) driving Debian's Chromium (`make test` installs it with apt-get;
nothing is downloaded). Pages are served by pytest-django's live server over the demo data."""

import shutil

import pytest
from playwright.sync_api import sync_playwright

from lvzhi.org import demo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
PHONE = dict(viewport={"width": 375, "height": 700}, device_scale_factor=2, is_mobile=True, has_touch=True)
DESKTOP = dict(viewport={"width": 1280, "height": 800})


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def site(live_server, transactional_demo):
    return live_server.url


def _page(browser, options):
    context = browser.new_context(locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors
    return context, page


@pytest.fixture
def phone(browser):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


def log_in(page, site: str, username: str, password: str = demo.DEMO_PASSWORD) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state("networkidle")
