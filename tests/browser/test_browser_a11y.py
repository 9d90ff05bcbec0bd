"""axe-core on every main page (no serious or critical violations), and screenshots at 360 px."""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Any

import pytest
from screenshots import MAIN_PAGES, VIEWPORT, save_all

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    page.evaluate(source)  # the context bypasses the page's CSP for this
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes:"
        " ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))",
        AXE_TAGS,
    )
    return list(result)


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_axe_no_serious_or_critical(axe_page: Any, axe_source: str, server: str, name: str) -> None:
    MAIN_PAGES[name](axe_page, server)
    violations = _run_axe(axe_page, axe_source)
    for v in violations:  # the minor and moderate ones are reported, not failed on
        print(f"[axe {name}] {v['impact']}: {v['id']} — {v['help']} {v['nodes']}")
    bad = [v for v in violations if v["impact"] in {"serious", "critical"}]
    assert bad == [], bad


def test_axe_with_furigana_on(axe_page: Any, axe_source: str, server: str) -> None:
    """The children's mode (ruby everywhere) is held to the same bar."""
    axe_page.goto(server + "/furigana?on=1&next=/")
    for name in ("home", "result", "question"):
        MAIN_PAGES[name](axe_page, server)
        violations = _run_axe(axe_page, axe_source)
        bad = [v for v in violations if v["impact"] in {"serious", "critical"}]
        assert bad == [], (name, bad)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_screenshots_of_main_pages(browser: Any, server: str, tmp_path: Path) -> None:
    """Full-page PNGs, 360 px wide (nothing wider than the phone).

    Written to docs/screenshots/ when UPDATE_SCREENSHOTS=1 (or by running screenshots.py);
    otherwise to a temporary folder, so a test run leaves the working tree alone.
    """
    update = os.environ.get("UPDATE_SCREENSHOTS") == "1"
    outdir = ROOT / "docs" / "screenshots" if update else tmp_path
    written = save_all(browser, server, outdir)
    assert len(written) == len(MAIN_PAGES) + 1
    for path in written:
        width, height = _png_size(path)
        assert width == VIEWPORT["width"], f"{path.name} is {width} px wide"
        assert height >= VIEWPORT["height"] - 1
