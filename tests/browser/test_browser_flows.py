"""A person on a 360 px phone: types what happened, gets windows, taps through the questions,
switches ふりがな, browses, uses the keyboard, and does all of it with JavaScript off too."""

from __future__ import annotations

import time
from typing import Any

import pytest
from screenshots import MAIN_PAGES, SITUATION, URGENT_TEXT, VIEWPORT, new_context

pytestmark = pytest.mark.browser


def _in_first_screen(page: Any, selector: str) -> list[dict[str, float]]:
    """Bounding boxes of the matches, each asserted inside the 360 x 780 viewport."""
    boxes = []
    for loc in page.locator(selector).all():
        box = loc.bounding_box()
        assert box is not None, f"{selector} is not rendered on {page.url}"
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box, page.url)
        assert box["x"] + box["width"] <= VIEWPORT["width"], (selector, box, page.url)
        assert box["y"] + box["height"] <= VIEWPORT["height"], (selector, box, page.url)
        boxes.append(box)
    return boxes


def _no_horizontal_overflow(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"], f"{page.url} is {width} px wide at a 360 px viewport"


def test_situation_gives_windows_with_tel_links_within_a_second(page: Any, server: str) -> None:
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "何がありましたか？"
    page.fill("#text", SITUATION)
    started = time.monotonic()
    page.click("button[type=submit]")
    page.locator("article.card").first.wait_for(state="visible")
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"result took {elapsed:.2f} s"
    assert page.url.endswith("/result")
    assert SITUATION not in page.url  # the text travels by POST, never in the URL

    cards = page.locator("article.card")
    assert cards.count() >= 3
    # The platform's own form comes first, labelled as such.
    first = cards.first
    assert "Instagram" in first.locator(".wname").inner_text()
    assert first.locator(".kind").inner_text().startswith("サービスの申告フォーム")
    # Tap-to-call links on the cards, large enough to tap.
    calls = page.locator("article.card a.call[href^='tel:']")
    assert calls.count() >= 1
    for loc in calls.all():
        box = loc.bounding_box()
        assert box is not None and box["height"] >= 44, box
    # Status, first steps, the categories with evidence, and the way out if this is wrong.
    assert page.locator("article.card .status").count() == cards.count()
    steps = page.locator("ol.steps > li")
    assert steps.count() >= 2
    assert page.locator("h2#st").inner_text() == "まずやること"
    assert page.locator("ul.cats mark").count() >= 1
    assert page.locator("a[href='/questions']", has_text="質問に答えて探す").count() >= 1
    _no_horizontal_overflow(page)


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_emergency_lines_in_first_screen(page: Any, server: str, name: str) -> None:
    MAIN_PAGES[name](page, server)
    boxes = _in_first_screen(page, "nav.sos a.sos-call")
    assert len(boxes) == 2
    hrefs = [a.get_attribute("href") for a in page.locator("nav.sos a.sos-call").all()]
    assert hrefs[0] == "tel:110"
    assert hrefs[1].startswith("tel:") and hrefs[1] != "tel:110"  # a crisis line
    assert all(b["height"] >= 44 for b in boxes)
    _no_horizontal_overflow(page)


def test_urgent_text_puts_emergency_block_first(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.fill("#text", URGENT_TEXT)
    page.click("button[type=submit]")
    page.wait_for_url("**/result")
    first_section = page.locator("main > section").first
    assert "emergency" in (first_section.get_attribute("class") or "")
    assert first_section.locator("h1").inner_text() == "今すぐ連絡してください"
    assert first_section.locator("a[href^='tel:']").count() >= 1
    # The emergency heading starts in the first screen, above every recommendation.
    em_box = first_section.bounding_box()
    assert em_box is not None and em_box["y"] < VIEWPORT["height"]
    rec_box = page.locator("#rec").bounding_box()
    assert rec_box is not None and rec_box["y"] > em_box["y"]


def _question_title(page: Any) -> str:
    return page.locator("#qt").inner_text().strip()


def _answer(page: Any, value: str) -> None:
    page.locator(f"input[value='{value}']").check()
    page.click("button[type=submit]")


def test_guided_questions_one_per_screen_with_back(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.click("a[href='/questions']")
    assert _question_title(page) == "いま、命や体に危険がありますか？"
    assert page.locator(".progress").inner_text().endswith("1 / 6")
    assert page.locator("form.question fieldset").count() == 1  # one question per screen
    _answer(page, "no")
    assert _question_title(page).startswith("何がありましたか？")
    _answer(page, "unauthorized_image")
    assert _question_title(page) == "どこで起きましたか？"

    # The page's own 戻る link goes to the previous question.
    page.click("a.back")
    assert _question_title(page).startswith("何がありましたか？")
    _answer(page, "unauthorized_image")
    assert _question_title(page) == "どこで起きましたか？"

    # The browser's back button too.
    page.go_back()
    assert _question_title(page).startswith("何がありましたか？")
    page.go_forward()
    assert _question_title(page) == "どこで起きましたか？"

    _answer(page, "instagram")
    assert _question_title(page) == "あなたは？"
    _answer(page, "parent")
    assert "都道府県" in _question_title(page)
    page.select_option("#pref", label="佐賀県")
    page.click("button[type=submit]")
    assert _question_title(page) == "どうしたいですか？"
    _answer(page, "delete")

    page.wait_for_url("**/result?**")
    assert page.locator("h1#rec").inner_text() == "おすすめの相談先"
    assert "Instagram" in page.locator("article.card .wname").first.inner_text()
    assert page.locator("ol.steps > li").count() >= 1
    # The browser's back button from the result returns to the last question.
    page.go_back()
    assert _question_title(page) == "どうしたいですか？"


def test_furigana_switch_on_and_off(page: Any, server: str) -> None:
    page.goto(server + "/windows")
    assert page.locator("ruby").count() == 0
    page.locator("footer a", has_text="ふりがなをつける").click()
    page.wait_for_url("**/windows")
    rubies = page.locator("main ruby")
    assert rubies.count() > 5
    assert page.locator("main ruby rt").first.inner_text().strip() != ""
    assert page.locator("h1 ruby").count() >= 1  # 窓口の一覧 -> まどぐち, いちらん
    # It stays on across pages (a cookie), including the emergency header.
    page.goto(server + "/")
    assert page.locator("h1 ruby").count() >= 1
    assert page.locator("nav.sos ruby").count() >= 1
    page.locator("footer a", has_text="ふりがなを消す").click()
    page.wait_for_url(server + "/")
    assert page.locator("ruby").count() == 0


def test_browse_category_group_and_window_page(page: Any, server: str) -> None:
    page.goto(server + "/windows")
    total = page.locator("ul.wlist > li").count()
    assert total > 10

    page.locator("ul.catlinks a[href='/windows?category=unauthorized_image']").click()
    page.wait_for_url("**/windows?category=unauthorized_image")
    in_category = page.locator("ul.wlist > li").count()
    assert 0 < in_category < total
    assert page.locator("#category").input_value() == "unauthorized_image"

    group_link = page.locator("a[href^='/windows?group=']").first
    group_href = group_link.get_attribute("href")
    group_link.click()
    page.wait_for_url("**" + group_href)
    assert 0 < page.locator("ul.wlist > li").count() < total
    assert page.locator("p.lead").count() == 1  # the group's description

    # Filter with the form, as a person would.
    page.select_option("#group", "")
    page.select_option("#category", "defamation")
    page.select_option("#audience", "child")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**category=defamation**")
    assert page.locator("ul.wlist > li").count() > 0

    page.locator("ul.wlist > li > a").first.click()
    page.wait_for_url("**/windows/*")
    dts = [t.strip() for t in page.locator("dl dt").all_inner_texts()]
    assert "出典" in dts and "最終確認" in dts
    sources = page.locator("dt:text-is('出典') + dd a")
    assert sources.count() >= 1
    assert sources.first.get_attribute("href").startswith("http")
    verified = page.locator("dt:text-is('最終確認') + dd").inner_text()
    assert verified.strip() != ""
    _no_horizontal_overflow(page)


def test_keyboard_skip_link_first_then_form(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.hash]")
    assert focused == ["skip", "#main"]
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.type"))
        if reached[-1] == "submit":
            break
    assert "text" in reached and "prefecture" in reached and reached[-1] == "submit", reached

    # Type and submit with the keyboard only.
    page.focus("#text")
    page.keyboard.type(SITUATION)
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/result")
    assert page.locator("article.card").count() >= 3


def test_works_with_javascript_off(browser: Any, server: str) -> None:
    context = new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + "/")
        page.fill("#text", SITUATION)
        page.click("button[type=submit]")
        page.wait_for_url("**/result")
        assert page.locator("article.card a[href^='tel:']").count() >= 1
        assert "Instagram" in page.locator("article.card .wname").first.inner_text()

        page.goto(server + "/questions")
        _answer(page, "no")
        _answer(page, "defamation")
        page.click("a.back")
        assert _question_title(page).startswith("何がありましたか？")
        _answer(page, "defamation")
        _answer(page, "x")
        _answer(page, "general")
        page.click("button[type=submit]")  # prefecture: optional, skip it
        _answer(page, "delete")
        page.wait_for_url("**/result?**")
        assert page.locator("article.card").count() >= 1

        page.locator("footer a", has_text="ふりがなをつける").click()
        assert page.locator("main ruby").count() > 0
        page.locator("footer a", has_text="ふりがなを消す").click()
        assert page.locator("ruby").count() == 0

        page.goto(server + "/windows")
        page.select_option("#category", "unauthorized_image")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**category=unauthorized_image**")
        page.locator("ul.wlist > li > a").first.click()
        assert page.locator("dt", has_text="最終確認").count() == 1
    finally:
        context.close()


def test_the_csp_is_in_force_and_nothing_is_blocked(page: Any, server: str) -> None:
    """The pages load no third-party asset and nothing they load is refused by the CSP."""
    violations: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    for name in ("home", "result", "windows", "window", "docs"):
        MAIN_PAGES[name](page, server)
    assert violations == []
    assert requests and all(u.startswith(server) for u in requests), [
        u for u in requests if not u.startswith(server)
    ]


def test_furigana_pages_fit_the_phone(page: Any, server: str) -> None:
    """Ruby text must not push any main page wider than 360 px (flex items do not wrap)."""
    page.goto(server + "/furigana?on=1&next=/")
    for name, go in MAIN_PAGES.items():
        go(page, server)
        if name not in {"error", "docs"}:  # messages and the API reference stay as they are
            assert page.locator("main ruby").count() > 0, name
        _no_horizontal_overflow(page)
    page.goto(server + "/questions?a.danger=no&a.categories=defamation&q=platform")
    _no_horizontal_overflow(page)
    page.goto(server + "/result?a.danger=no&a.categories=defamation&a.platform=x&a.want=delete")
    _no_horizontal_overflow(page)
