"""The tree's New node: what the reader first saw since its previous session began, with
its unread/total kept live (an arrival joins it, a deleted article leaves it, a mark
changes it); selecting it lists them, a search typed there searches within it, and the
next session still shows what arrived during this one."""

from __future__ import annotations

from reader.archive import Archive
from reader.session.services import Services
from reader.state.groups import ALL, NEW
from tests.ui.conftest import Opened, article, press, run_app_test, settle, until

ARRIVAL = "en/news/wire/arrived.en.md"
LATER = "en/news/daily/later.en.md"


def new_count(screen) -> str:
    return screen.tree._group_nodes[NEW].label.count


def write(root, path: str, title: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(article(title, "2025-03-01 10:00:00", f"{title} text."),
                             encoding="utf-8")


async def rescanned(pilot, screen) -> None:
    await press(pilot, "r")
    await until(pilot, lambda: not screen.background.indexing and not screen.scanning)
    await settle(pilot)


def test_the_new_node_holds_what_arrived_and_keeps_its_count(make_app, ui_archive):
    async def first_run(pilot, screen):
        tree = screen.tree
        names = [str(node.label.name) for node in tree.root.children[:4]]
        assert names == ["All", "Unread", "Starred", "New"]
        assert new_count(screen) == "0/0"  # a first run: the archive as found is not new
        tree.select_key(NEW)
        await settle(pilot)
        assert screen.article_list.rows == [] and "Nothing new" in header(screen)
        tree.select_key(ALL)
        await settle(pilot)
        write(ui_archive, ARRIVAL, "Arrived story")
        await rescanned(pilot, screen)
        await until(pilot, lambda: new_count(screen) == "1/1")  # arrived while open
        tree.select_key(NEW)
        await settle(pilot)
        assert [a.path for a in screen.article_list.rows] == [ARRIVAL]
        screen.set_focus(screen.article_list)
        await press(pilot, "m")
        assert new_count(screen) == "0/1"
        await press(pilot, "m")
        write(ui_archive, LATER, "Later story")
        await rescanned(pilot, screen)
        await until(pilot, lambda: new_count(screen) == "2/2")
        assert {a.path for a in screen.article_list.rows} == {ARRIVAL, LATER}
        await press(pilot, "slash", *"later", "enter")  # searched within New
        assert [a.path for a in screen.article_list.rows] == [LATER]
        assert "in New" in screen.status.parts["search"]
        await press(pilot, "escape")
        (ui_archive / LATER).unlink()
        await rescanned(pilot, screen)
        await until(pilot, lambda: new_count(screen) == "1/1")  # deleted: it leaves
        assert [a.path for a in screen.article_list.rows] == [ARRIVAL]

    run_app_test(make_app(), first_run)

    async def next_run(pilot, screen):  # what arrived during the last session: still new
        await until(pilot, lambda: new_count(screen) == "1/1")
        await press(pilot, "slash", *"is:new", "enter")
        assert [a.path for a in screen.article_list.rows] == [ARRIVAL]

    run_app_test(make_app(), next_run)

    async def third_run(pilot, screen):  # it came before the second session began
        screen.tree.select_key(NEW)
        await settle(pilot)
        assert new_count(screen) == "0/0"
        assert "Nothing arrived since the previous session began (" in header(screen)

    run_app_test(make_app(), third_run)


def header(screen) -> str:
    return str(screen.article_pane.query_one("#article-header").render())


def test_after_a_first_open_cut_short_the_status_counts_no_more_new_than_the_node(
        make_app, ui_archive, ui_settings):
    """A first open quit while its first scan was under way: the next open's scan found
    the rest of the archive, which New (rightly: the archive as first found is no news)
    did not count, but the status said "10,768 new (N: newest)" (attack, issue 11).
    The status counts what arrived among New's members; an arrival after is both."""
    first = Services(Archive.open(ui_archive, ui_settings), ui_settings, open_link=Opened())
    assert first.open_state() == []
    looked = sorted(ui_archive.rglob("*.md"))[0].relative_to(ui_archive).as_posix()
    first.set_articles(first.archive.scan_paths([looked]).articles)  # the first look's
    first.close()  # no scan ended

    async def next_run(pilot, screen):
        assert len(screen.services.articles) > 1  # the scan found the rest
        assert new_count(screen) == "0/0"
        assert "new" not in screen.status.parts
        write(ui_archive, ARRIVAL, "Arrived story")
        await rescanned(pilot, screen)
        await until(pilot, lambda: new_count(screen) == "1/1")
        await until(pilot, lambda: screen.status.parts.get("new", "").startswith("1 arrived"))

    run_app_test(make_app(), next_run)
