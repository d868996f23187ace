"""Screenshots: a browser draws each CJK run in the cells the terminal gives it."""

from __future__ import annotations

import asyncio
import html
import re

from rich.cells import cell_len
from rich.console import Console

from reader.ui.svg_cells import fix_text_lengths
from tests.ui.conftest import settle

TEXT = re.compile(r'<text\b[^>]*?\bx="([0-9.]+)"[^>]*?\btextLength="([0-9.]+)"[^>]*>(.*?)</text>', re.S)


def _svg(line: str) -> str:
    console = Console(record=True, width=60, file=open("/dev/null", "w"))
    console.print("[red]ref[/] " + line)
    return console.export_svg()


def _runs(svg: str) -> list[tuple[str, float]]:
    return [(html.unescape(t), float(n)) for _, n, t in TEXT.findall(svg)]


def _char_width(svg: str) -> float:
    text, length = next((t, n) for t, n in _runs(svg) if t == "ref")
    return length / len(text)


def test_cjk_runs_take_two_cells_each():
    svg = fix_text_lengths(_svg("[bold]銀行淨息差受壓[/] 多家銀行下調存款利率 and english"))
    width = _char_width(svg)
    runs = _runs(svg)
    assert any(not t.isascii() for t, _ in runs)
    for text, length in (r for r in runs if r[0].strip()):
        assert abs(length - width * cell_len(text)) < 0.01, text


def test_rich_alone_squeezes_them():
    """What the fix is for: without it a CJK run gets one cell a character."""
    svg = _svg("多家銀行下調存款利率 x")
    width = _char_width(svg)
    assert any(abs(n - width * cell_len(t)) > 1 for t, n in _runs(svg))


def test_ascii_svg_is_unchanged():
    svg = _svg("plain [red]ascii[/] text & <tags>")
    assert fix_text_lengths(svg) == svg


def test_the_readers_screenshots_are_measured_in_cells(make_app, sample_root):
    """The reader's own export (the palette's screenshot, the README's pictures)."""
    async def main() -> str:
        app = make_app(sample_root)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            return app.export_screenshot()

    svg = asyncio.run(main())
    runs = [(t, n) for t, n in _runs(svg) if t.strip()]
    wide = [(t, n) for t, n in runs if cell_len(t) > len(t)]
    assert wide, "the sample feed's Chinese titles are on screen"
    ascii_run = next((t, n) for t, n in runs if cell_len(t) == len(t) and len(t) > 3)
    width = ascii_run[1] / len(ascii_run[0])
    for text, length in wide:
        assert abs(length - width * cell_len(text)) < 0.01, text
