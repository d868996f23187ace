"""Save the README's pictures: the reader on the bundled sample feed.

    python scripts/make_screenshot.py [OUT_DIR]      (default: docs/)

Writes reader.svg (the tree, the list and a rendered Chinese article),
search.svg (a search for 银行 finding simplified and traditional articles) and
keepup.svg (saved searches, New and Hidden in the tree, a hide rule and a
highlight rule at work).
The export measures each text run in terminal cells (reader/ui/svg_cells.py),
so a browser draws Chinese in the cells the terminal gives it; look at the
files in a browser after making them (e.g. chromium --headless --screenshot).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.archive import Archive  # noqa: E402
from reader.config import Settings, load_settings  # noqa: E402
from reader.resources import sample_feed_path  # noqa: E402
from reader.ui.app import NewsReaderApp  # noqa: E402
from reader.ui.widgets.article_list import ArticleList  # noqa: E402

SIZE = (130, 38)


async def settle(pilot) -> None:
    app = pilot.app
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers) and app.screen.loaded.is_set():
            return


def save(app, out: Path) -> None:
    out.write_text(app.export_screenshot(), encoding="utf-8")  # measured in cells
    print(f"saved {out}")


KEEP_UP = """\
watch = false

[[searches]]
name = "Batteries"
query = "batteries OR 电池"

[[searches]]
name = "Banks"
query = "银行 OR bank"

[[rules]]
query = "source:meridianfx"
action = "hide"

[[rules]]
query = "tag:ev"
action = "highlight"
"""


def sample_app(data: Path, config: str = "") -> NewsReaderApp:
    settings = Settings(data_root=data, config_path=data / "none.toml", watch=False)
    if config:  # (watch = false: the folder's watch is a worker that never completes)
        (data / "keepup.toml").write_text(config, encoding="utf-8")
        settings = load_settings(data_dir=data, config_path=data / "keepup.toml", env={})
    return NewsReaderApp(Archive.open(sample_feed_path(), settings), settings)


async def started(pilot) -> None:
    pilot.app.screen.preview_delay = 0
    await settle(pilot)


async def shoot_reader(out: Path, data: Path) -> None:
    """The tree on 简体中文, its newest article open."""
    app = sample_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.screen.query_one("#tree")
        tree.focus()
        tree.select_key(("lang", "zh-CN"))
        await settle(pilot)
        app.screen.query_one(ArticleList).focus()
        await pilot.press("enter")
        await settle(pilot)
        save(app, out)


async def shoot_search(out: Path, data: Path) -> None:
    app = sample_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"银行", "enter")
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        save(app, out)


async def shoot_keepup(out: Path, data: Path) -> None:
    """Saved searches with their counts, New and Hidden in the tree; All without the
    hidden source, the highlighted rows coloured; a saved search's article open."""
    app = sample_app(data, KEEP_UP)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.screen.query_one(ArticleList).focus()
        await pilot.press("j", "enter")
        await settle(pilot)
        save(app, out)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs"
    with tempfile.TemporaryDirectory() as data:
        asyncio.run(shoot_search(out.resolve() / "search.svg", Path(data)))
        asyncio.run(shoot_reader(out.resolve() / "reader.svg", Path(data)))
    with tempfile.TemporaryDirectory() as data:
        asyncio.run(shoot_keepup(out.resolve() / "keepup.svg", Path(data)))


if __name__ == "__main__":
    main()
