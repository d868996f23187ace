"""Fixtures for the reader's Pilot and snapshot tests: a small archive, an app over it.

Tests are plain functions that run a scenario with `run_app_test` (no asyncio
plugin needed); they wait on workers (`settle`), never on the clock.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Awaitable, Callable

import pytest
from textual.worker import WorkerCancelled

from reader.archive import Archive
from reader.config import Settings
from reader.ui.app import NewsReaderApp
from reader.ui.screens.main import MainScreen
from reader.session.services import Services

TOPICS = [("Nvidia", "英伟达"), ("Apple", "苹果"), ("Oil", "石油"), ("Gold", "黄金")]


def article(title: str, date: str, body: str, tags=(), categories=(), link: str = "") -> str:
    lines = ["---", f'title: "{title}"', f'date: "{date}"']
    for key, values in (("categories", categories), ("tags", tags)):
        if values:
            lines.append(f"{key}:")
            lines += [f'  - "{v}"' for v in values]
    lines += ["---", "", body]
    if link:
        lines += ["", f"[Source]({link})"]
    return "\n".join(lines) + "\n"


def sample_files(count: int = 12) -> dict[str, str]:
    """`count` articles over two sources and three languages, dated a day apart."""
    files = {}
    for i in range(count):
        en, zh = TOPICS[i % len(TOPICS)]
        lang = ("en", "zh-CN", "zh-HK")[i % 3]
        source = ("wire", "daily")[i % 2]
        title = f"{en} report {i:02d}" if lang == "en" else f"{zh}报告 {i:02d}"
        body = f"# Heading {i}\n\nParagraph about {en} and {zh}.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        files[f"{lang}/news/{source}/{i:03d}.{lang}.md"] = article(
            title, f"2025-02-{1 + i:02d} 10:00:00", body, tags=[en.lower()],
            categories=[source], link=f"https://example.com/{i}")
    return files


class Opened(list):
    """A stand-in for webbrowser.open that records the links."""

    def __call__(self, url: str) -> bool:
        self.append(url)
        return True


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """Not watching the folder: a test that changes files says when it rescans (the
    tests of watching, tests/ui/test_watching.py, turn it on)."""
    return Settings(data_root=tmp_path / "data", config_path=tmp_path / "config.toml",
                    watch=False)


@pytest.fixture
def ui_archive(archive_factory) -> Path:
    return archive_factory(sample_files())


@pytest.fixture
def make_app(ui_archive: Path, ui_settings: Settings):
    """make_app(root=None, **settings_changes) -> NewsReaderApp with a recording link opener."""

    def make(root: Path | None = None, **changes) -> NewsReaderApp:
        settings = replace(ui_settings, **changes)
        archive = Archive.open(root or ui_archive, settings)
        services = Services(archive, settings, open_link=Opened())
        return NewsReaderApp(archive, settings, services=services)

    return make


async def settle(pilot) -> None:
    """Wait until every key is handled and every worker done (loading, scan, index, list,
    article rendering)."""
    app = pilot.app
    for _ in range(100):
        await until(pilot, lambda: app.key_queue.idle)
        workers = finite_workers(app)
        try:
            await asyncio.wait_for(app.workers.wait_for_complete(workers), WORKERS_LIMIT)
        except WorkerCancelled:  # a newer search (a key, the index) replaced it: wait on
            continue
        except asyncio.TimeoutError:  # a worker that never ends: name it (CI once hung
            raise AssertionError(  # here until pytest's timeout, naming none)
                "workers never ended: " + ", ".join(
                    f"{w.name or w.description} ({w.group}, {w.state.name})"
                    for w in workers if not w.is_finished)) from None
        await pilot.pause()
        if not any(w.is_running for w in finite_workers(app)) and app.key_queue.idle:
            screen = app.screen
            if not isinstance(screen, MainScreen) or screen.loaded.is_set():
                return
    raise AssertionError("the app never settled")


WORKERS_LIMIT = 120  # seconds: a bound on a wait for workers (a few seconds at most)


def finite_workers(app) -> list:
    """Every worker but the folder's watcher, which runs as long as the screen."""
    return [w for w in app.workers if w.group != "watch"]


async def until(pilot, condition, tries: int = 2000) -> None:
    """Let the app process its messages until `condition()` holds (a bounded wait)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    status = getattr(pilot.app.screen, "status", None)  # (a modal screen has none)
    raise AssertionError("the condition never held; status: "
                         f"{status.parts if status is not None else 'none'}")


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def run_app_test(app: NewsReaderApp, scenario: Callable[..., Awaitable[None]],
                 size: tuple[int, int] = (120, 36)) -> None:
    """Run `scenario(pilot, screen)` in the app, after it has loaded."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            screen = app.screen
            screen.preview_delay = 0
            await settle(pilot)
            await scenario(pilot, screen)

    asyncio.run(main())
