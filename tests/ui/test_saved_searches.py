"""Saved searches in the tree: a section "Searches" at the top from the config file,
each node's unread/total equal to `newsreader search QUERY --limit 0` after a mark, an
arrival and a deletion (a watched batch: the delta, then the regroup once indexed);
saved from the reader with `b`, renamed, moved and deleted from the palette, each
written back to the config file."""

from __future__ import annotations

import asyncio
import io
import threading
import re
from contextlib import redirect_stdout

from reader.cli.main import main as newsreader
from reader.config import SavedSearch, load_settings
from reader.ui.commands import SavedSearchCommands
from reader.ui.messages import Watched
from reader.ui.screens.ask import AskScreen
from tests.ui.conftest import article, press, run_app_test, settle, until

NVIDIA = SavedSearch("Nvidia", "nvidia OR 英伟达")
GOLD = SavedSearch("Gold", "gold")
HEAD = '# kept as it is\ntheme = "textual-dark"\n'
MATCHES = re.compile(r"(\d+) of (\d+) matches")


def cli_count(screen, capsys, query: str) -> int:
    services = screen.services
    services.flush()
    settings, out = services.settings, io.StringIO()
    with redirect_stdout(out):  # (the app holds sys.stdout: capsys sees nothing)
        assert newsreader(["--data-dir", str(settings.data_root), "--config",
                           str(settings.config_path), "search", query, "--limit", "0",
                           "--no-update", "--archive", str(services.archive.root)]) == 0
    return int(MATCHES.search(out.getvalue()).group(2))


def node_count(screen, name: str) -> str:
    return screen.tree._group_nodes[("search", name)].label.count


def check(screen, capsys) -> None:
    for search in screen.services.saved.searches:
        total = cli_count(screen, capsys, search.query)
        unread = cli_count(screen, capsys, f"{search.query} is:unread")
        assert node_count(screen, search.name) == f"{unread:,}/{total:,}", search


def config_of(*searches: SavedSearch) -> str:
    return HEAD + "".join(f'\n[[searches]]\nname = "{s.name}"\nquery = "{s.query}"\n'
                          for s in searches)


def app_with_searches(make_app, ui_settings, *searches):
    ui_settings.config_path.write_text(config_of(*searches), encoding="utf-8")
    return make_app(searches=searches)


def test_saved_searches_are_nodes_whose_counts_stay_those_of_the_search_command(
        make_app, ui_settings, ui_archive, capsys):
    app = app_with_searches(make_app, ui_settings, NVIDIA, GOLD)

    async def scenario(pilot, screen):
        tree = screen.tree
        heading = tree.root.children[0]
        assert str(heading.label.name) == "Searches" and heading.is_expanded
        assert [n.data for n in heading.children] == [("search", "Nvidia"), ("search", "Gold")]
        assert node_count(screen, "Nvidia") == "3/3"
        check(screen, capsys)

        tree.select_key(("search", "Nvidia"))  # its articles, newest first
        await settle(pilot)
        rows = screen.article_list.rows
        assert screen.group == ("search", "Nvidia") and len(rows) == 3
        assert [r.date for r in rows] == sorted((r.date for r in rows), reverse=True)
        screen.set_focus(screen.article_list)
        await press(pilot, "m")  # a mark: the node in place
        assert node_count(screen, "Nvidia") == "2/3"
        check(screen, capsys)

        root = screen.services.archive.root  # an arrival and a deletion, as watched
        new, gone = "en/news/wire/new.en.md", rows[-1].path
        (root / new).write_text(article("Nvidia again", "2025-03-01 10:00:00",
                                        "More nvidia news."), encoding="utf-8")
        (root / gone).unlink()
        result = screen.services.scan_paths([new, gone])
        screen.background.post_scan(result)
        screen.post_message(Watched(result))
        await settle(pilot)
        await until(pilot, lambda: not screen.background.indexing)
        await settle(pilot)
        assert node_count(screen, "Nvidia") == "2/3"  # one came, one went
        assert new in {r.path for r in screen.article_list.rows}
        check(screen, capsys)

        await press(pilot, "slash", *"heading", "enter")  # searched within the node
        assert "within the saved search Nvidia" in screen.status.parts["search"]
        assert len(screen.article_list.rows) == 2  # "Nvidia again" has no heading

    run_app_test(app, scenario)


def test_a_search_is_saved_from_the_reader_and_edited_from_the_palette(
        make_app, ui_settings, capsys):
    app = app_with_searches(make_app, ui_settings, NVIDIA)
    path = ui_settings.config_path

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"oil", "enter", "b")
        assert isinstance(pilot.app.screen, AskScreen)
        await press(pilot, "enter")  # the name: the query
        assert load_settings(config_path=path).searches == (NVIDIA, SavedSearch("oil", "oil"))
        assert path.read_text(encoding="utf-8").startswith(config_of(NVIDIA))  # the rest kept
        await settle(pilot)
        assert node_count(screen, "oil") == f"3/{cli_count(screen, capsys, 'oil')}"

        commands = [text for text, _, _ in SavedSearchCommands(screen)._commands()]
        assert "Save this search" in commands and "Saved search oil: rename" in commands
        nodes = screen.search_nodes
        nodes.rename(("search", "oil"))
        await settle(pilot)
        await press(pilot, "ctrl+a", *"Crude", "enter")  # (ctrl+a: to the start)
        await settle(pilot)
        assert [s.name for s in load_settings(config_path=path).searches] == [
            "Nvidia", "Crudeoil"]
        assert node_count(screen, "Crudeoil") == "3/3"
        nodes.move(("search", "Crudeoil"), -1)
        assert [s.name for s in load_settings(config_path=path).searches] == [
            "Crudeoil", "Nvidia"]
        heading = screen.tree.root.children[0]
        assert [n.data[1] for n in heading.children] == ["Crudeoil", "Nvidia"]
        nodes.edit(("search", "Nvidia"))
        await settle(pilot)
        await press(pilot, *" -report", "enter")
        await settle(pilot)
        assert load_settings(config_path=path).searches[1].query == "nvidia OR 英伟达 -report"
        nodes.delete(("search", "Crudeoil"))
        await settle(pilot)
        assert load_settings(config_path=path).searches == (
            SavedSearch("Nvidia", "nvidia OR 英伟达 -report"),)
        assert ("search", "Crudeoil") not in screen.tree._group_nodes
        check(screen, capsys)

        path.write_text(config_of(NVIDIA, GOLD), encoding="utf-8")  # edited by hand
        nodes.delete(("search", "Nvidia"))  # refused: the user's edit is kept
        assert path.read_text(encoding="utf-8") == config_of(NVIDIA, GOLD)
        await settle(pilot)
        notices = [n.message for n in pilot.app._notifications]
        assert "changed since the reader read them" in notices[-1]
        assert ("search", "Nvidia") in screen.tree._group_nodes

    run_app_test(app, scenario)


def test_until_the_index_is_complete_a_node_says_it_is_counting(make_app, ui_settings):
    refused = SavedSearch("Mine", "is:starred nvidia")
    app = app_with_searches(make_app, ui_settings, NVIDIA, refused)
    services, indexed = app.services, threading.Event()
    update = services.update_index

    def held_update(*args, **kwargs):
        indexed.wait(30)  # the index is being completed while the rows are shown
        return update(*args, **kwargs)

    services.update_index = held_update

    async def scenario(pilot, screen):
        await until(pilot, lambda: screen.background.indexing)
        assert len(screen.article_list.rows) == 12  # the first rows did not wait
        assert node_count(screen, "Nvidia") == "counting…"
        screen.tree.select_key(("search", "Nvidia"))
        await until(pilot, lambda: screen.group == ("search", "Nvidia")
                    and "once the index is complete" in str(
                        screen.article_pane.query_one("#article-header").render()))
        indexed.set()
        await until(pilot, lambda: not screen.background.indexing)
        await settle(pilot)
        assert node_count(screen, "Nvidia") == "3/3"
        assert node_count(screen, "Mine") == "bad query"
        notices = [n.message for n in pilot.app._notifications]
        assert any("'Mine': is: terms cannot be saved" in n for n in notices)

    run_held(app, scenario, indexed)


def test_at_a_warm_start_the_counts_do_not_wait_for_the_scan_and_the_index(
        make_app, ui_settings):
    """The index was complete when the reader last stopped: the counts come from it at
    once, while this start's scan (and then its index update) still runs."""
    run_app_test(app_with_searches(make_app, ui_settings, NVIDIA, GOLD), settle_only)
    app = make_app(searches=(NVIDIA, GOLD))
    services, scanned = app.services, threading.Event()
    scan = services.scan

    def held_scan(*args, **kwargs):
        scanned.wait(30)
        return scan(*args, **kwargs)

    services.scan = held_scan

    async def scenario(pilot, screen):
        await until(pilot, lambda: node_count(screen, "Nvidia") == "3/3")  # the scan held
        assert node_count(screen, "Gold") == "3/3" and not screen.background.indexing
        scanned.set()
        await settle(pilot)
        assert node_count(screen, "Nvidia") == "3/3" and node_count(screen, "Gold") == "3/3"

    run_held(app, scenario, scanned)


async def settle_only(pilot, screen) -> None:
    await settle(pilot)


def run_held(app, scenario, held: threading.Event) -> None:
    """`scenario(pilot, screen)` from the app's start, while `held` holds a worker (set
    at the end whatever happened, so the worker ends)."""

    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await scenario(pilot, app.screen)
            finally:
                held.set()

    asyncio.run(main())
