"""Save the README's screenshot: the reader on the bundled sample feed, a Chinese search.

    python scripts/make_screenshot.py [OUT.svg]      (default: docs/screenshot.svg)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.archive import Archive  # noqa: E402
from reader.config import Settings  # noqa: E402
from reader.resources import sample_feed_path  # noqa: E402
from reader.ui.app import NewsReaderApp  # noqa: E402


async def settle(pilot) -> None:
    app = pilot.app
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers) and app.screen.loaded.is_set():
            return


async def shoot(out: Path, data: Path) -> None:
    settings = Settings(data_root=data, config_path=data / "none.toml")
    app = NewsReaderApp(Archive.open(sample_feed_path(), settings), settings)
    async with app.run_test(size=(130, 38)) as pilot:
        app.screen.preview_delay = 0
        await settle(pilot)
        await pilot.press("slash", *"银行", "enter")
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshot.svg"
    with tempfile.TemporaryDirectory() as data:
        asyncio.run(shoot(out.resolve(), Path(data)))
    print(f"saved {out}")


if __name__ == "__main__":
    main()
