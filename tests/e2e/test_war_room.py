"""A facilitator starts the demo game; alice joins Blue in Chromium and plays."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM_ARGS, DemoServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def start_demo_game(browser: Browser, server: DemoServer) -> Page:
    page = browser.new_page()
    page.goto(server.url + "/facilitator")
    page.get_by_test_id("login-username").fill(server.login[0])
    page.get_by_test_id("login-password").fill(server.login[1])
    page.get_by_test_id("login-submit").click()
    game = page.get_by_test_id(f"game-{server.game_id}")
    expect(game).to_be_visible()
    game.get_by_test_id("game-start").click()
    expect(game.get_by_test_id("game-state")).to_have_text(re.compile("running"))
    return page


def join_as(browser: Browser, server: DemoServer, team: str, name: str) -> Page:
    page = browser.new_page()
    page.goto(server.url + "/")
    page.get_by_test_id("join-code").fill(server.join_codes[team])
    page.get_by_test_id("join-name").fill(name)
    page.get_by_test_id("join-submit").click()
    page.wait_for_url("**/room")
    expect(page.get_by_test_id("connection-state")).to_have_text(
        re.compile("connected", re.I)
    )
    return page


def test_player_sees_frames_and_takes_an_action(
    browser: Browser, demo_server: DemoServer
) -> None:
    start_demo_game(browser, demo_server)
    alice = join_as(browser, demo_server, "Blue", "alice")
    carol = join_as(browser, demo_server, "Blue", "carol")

    expect(alice.get_by_test_id("briefing")).to_contain_text(
        "celebrit", ignore_case=True
    )
    clock = alice.get_by_test_id("game-clock")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=10_000)
    expect(alice.get_by_test_id("chart-component-db")).to_be_visible()
    expect(alice.get_by_test_id("score")).to_contain_text("error budget")

    form = alice.get_by_test_id("action-enable_coalescing")
    form.get_by_test_id("action-enable_coalescing-submit").click()
    status = form.get_by_test_id("action-enable_coalescing-status").first
    expect(status).to_have_attribute("data-phase", re.compile("applied|effect"))

    entry = carol.get_by_test_id("timeline-entry").filter(has_text="alice")
    expect(entry.first).to_contain_text("coalesc", ignore_case=True)
