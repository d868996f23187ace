"""Save the README's picture of "Archive at a glance" on the bundled sample feed.

    python scripts/glance_picture.py [OUT_DIR]      (default: docs/)

Writes glance.png (100x30 cells) with chromium, from the SVG the app exports (kept
beside it only without chromium).  The
window ends on the sample's newest day, and a few marks are imported with read times
in it (as `newsreader state import` takes them), so "Read per day" and the backlog
have something to show.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.archive import Archive  # noqa: E402
from reader.config import Settings  # noqa: E402
from reader.resources import sample_feed_path  # noqa: E402
from reader.state import STATE_FILE_NAME, StateStore  # noqa: E402
from reader.ui.app import NewsReaderApp  # noqa: E402
from reader.ui.screens.glance import GlanceScreen  # noqa: E402

SIZE = (100, 30)
NOW = datetime(2025, 3, 26, 22, 0, tzinfo=timezone(timedelta(hours=8)))


def seed_marks(archive: Archive) -> None:
    """Read ten of the window's articles, each a day to three after its date."""
    archive.scan()
    newest = sorted(archive.cached(), key=lambda a: a.date, reverse=True)
    entries = []
    for i, a in enumerate(newest[3:13]):
        when = min(NOW, a.date + timedelta(days=1 + i % 3, hours=i))
        when = when.astimezone(timezone.utc).isoformat()
        entries.append({"path": a.path, "title": a.title, "link": a.link, "read": True,
                        "read_changed": when, "starred": i % 4 == 0, "starred_changed": when})
    with StateStore.open(archive.data_dir / STATE_FILE_NAME) as store:
        store.import_state({"format": "newsreader-state", "version": 1, "articles": entries})


async def shoot(out: Path, data: Path) -> None:
    settings = Settings(data_root=data, config_path=data / "none.toml", watch=False)
    archive = Archive.open(sample_feed_path(), settings)
    seed_marks(archive)
    GlanceScreen.clock = staticmethod(lambda tz: NOW.astimezone(tz))
    app = NewsReaderApp(archive, settings)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.screen.loaded.is_set() and not any(w.is_running for w in app.workers):
                break
        await pilot.press("i")
        glance = app.screen
        while glance.shown is None:
            await pilot.pause()
        await pilot.pause()
        out.write_text(app.export_screenshot(), encoding="utf-8")


def to_png(svg: Path, png: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        shutil.copy(svg, png.with_suffix(".svg"))
        print(f"no chromium: {png.with_suffix('.svg')} saved instead")
        return
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    f"--screenshot={png}", "--window-size=1290,800", svg.as_uri()],
                   check=True, capture_output=True)
    print(f"saved {png}")


def main() -> None:
    out = (Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs").resolve()
    with tempfile.TemporaryDirectory() as data:
        svg = Path(data) / "glance.svg"
        asyncio.run(shoot(svg, Path(data)))
        to_png(svg, out / "glance.png")


if __name__ == "__main__":
    main()
