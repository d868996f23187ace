"""Rules in the reader: a hide rule's articles are in the Hidden node only (never in All,
the other groups or a search, never counted there), also when they arrive; a rule is
added from the palette with a preview first, then deleted, which brings everything
back; a highlight rule's rows are coloured, readably in every built-in theme."""

from __future__ import annotations

import asyncio

from textual.app import App

from reader.config import load_settings
from reader.state import GroupCounts
from reader.state.groups import ALL
from reader.state.rule_marks import HIDDEN
from reader.ui.messages import Watched
from reader.ui.rule_commands import RuleCommands
from reader.ui.screens.ask import AskScreen
from reader.ui.screens.rule_preview import RulePreviewScreen
from reader.ui.widgets.group_tree import GroupTree
from tests.ui.conftest import article, press, run_app_test, settle, until
from tests.ui.test_looks import TEXT, Drawn, colours, list_row, text_contrasts

HIDE_DAILY = '[[rules]]\nquery = "source:daily"\naction = "hide"\n'


def app_with(make_app, ui_settings, config: str):
    ui_settings.config_path.write_text(config, encoding="utf-8")
    return make_app(**{k: v for k, v in vars(load_settings(
        data_dir=ui_settings.data_root, config_path=ui_settings.config_path,
        env={})).items() if k in ("rules", "searches")})


def label_count(screen, key) -> str:
    return screen.tree._group_nodes[key].label.count


def test_a_hide_rule_hides_its_articles_but_in_the_hidden_node(make_app, ui_settings):
    app = app_with(make_app, ui_settings, HIDE_DAILY)

    async def scenario(pilot, screen):
        rows = screen.article_list.rows
        assert len(rows) == 6 and {r.source for r in rows} == {"wire"}
        assert label_count(screen, ALL) == "6/6" and label_count(screen, HIDDEN) == "6/6"
        top = [n.data for n in screen.tree.root.children[:4]]
        assert top == [ALL, ("unread", ""), ("starred", ""), HIDDEN]
        await press(pilot, "slash", *"report", "enter")  # a search leaves them out too
        assert {r.source for r in screen.article_list.rows} == {"wire"}
        assert screen.status.parts["search"].startswith("2 hits")
        screen.tree.select_key(HIDDEN)
        await settle(pilot)
        assert {r.source for r in screen.article_list.rows} == {"daily"}
        assert screen.status.parts["search"].startswith("2 hits in Hidden")
        await press(pilot, "escape")
        assert len(screen.article_list.rows) == 6
        screen.tree.select_key(ALL)
        await settle(pilot)

        root, new = screen.services.archive.root, "en/news/daily/new.en.md"
        (root / new).write_text(article("Nvidia daily", "2025-03-01 10:00:00", "Body."),
                                encoding="utf-8")
        result = screen.services.scan_paths([new])
        screen.background.post_scan(result)
        screen.post_message(Watched(result))
        await settle(pilot)
        await until(pilot, lambda: not screen.background.indexing)
        await settle(pilot)
        assert new not in {r.path for r in screen.article_list.rows}  # never listed
        assert label_count(screen, ALL) == "6/6" and label_count(screen, HIDDEN) == "7/7"

    run_app_test(app, scenario)


def test_a_rule_is_previewed_saved_and_deleted_from_the_palette(make_app, ui_settings):
    app = app_with(make_app, ui_settings, '# my rules\ntheme = "textual-dark"\n')
    path = ui_settings.config_path

    async def scenario(pilot, screen):
        assert HIDDEN not in screen.tree._group_nodes  # no hide rule, no node
        await press(pilot, "slash", *"gold", "enter")
        commands = [text for text, _, _ in RuleCommands(screen)._commands()]
        assert "Add a rule: hide the articles of a query" in commands
        screen.rule_nodes.add("hide")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AskScreen)
        await press(pilot, "enter")  # the query: the search's
        await until(pilot, lambda: isinstance(pilot.app.screen, RulePreviewScreen))
        preview = pilot.app.screen
        assert preview.lines[1] == "Matches 3 articles now"  # before it is saved:
        assert "gold" not in path.read_text(encoding="utf-8")  # nothing written yet
        assert len(preview.lines) == 5 and "黄金报告 11" in preview.lines[2]
        await press(pilot, "enter")
        assert load_settings(config_path=path).rules[0].query == "gold"
        assert path.read_text(encoding="utf-8").startswith("# my rules\n")
        await press(pilot, "escape")
        assert label_count(screen, ALL) == "9/9" and label_count(screen, HIDDEN) == "3/3"
        assert len(screen.article_list.rows) == 9
        assert "Rule gold: delete" in [t for t, _, _ in RuleCommands(screen)._commands()]

        screen.rule_nodes.delete("gold")
        await settle(pilot)
        assert load_settings(config_path=path).rules == ()
        assert label_count(screen, ALL) == "12/12" and HIDDEN not in screen.tree._group_nodes
        assert len(screen.article_list.rows) == 12

    run_app_test(app, scenario)


def test_a_read_rule_shows_its_rows_read_and_the_users_mark_wins(make_app, ui_settings):
    app = app_with(make_app, ui_settings, '[[rules]]\nquery = "tag:gold"\naction = "read"\n')

    async def scenario(pilot, screen):
        services = screen.services
        gold = [r for r in screen.article_list.rows if "gold" in r.tags]
        assert gold and all(services.is_read(r.path) for r in gold)
        assert label_count(screen, ALL) == "9/12"
        screen.article_list.cursor = screen.article_list.rows.index(gold[0])
        await press(pilot, "m")  # the user's unread over the rule's read
        assert not services.is_read(gold[0].path) and label_count(screen, ALL) == "10/12"
        await press(pilot, "u")  # undone: the rule's mark again
        assert services.is_read(gold[0].path) and label_count(screen, ALL) == "9/12"
        services.flush()
        assert not services.store.read_set()  # nothing of the rule's in the store

    run_app_test(app, scenario)


def test_highlighted_rows_are_coloured_readably_in_every_theme(make_app, ui_settings):
    app = app_with(make_app, ui_settings,
                   '[[rules]]\nquery = "tag:gold"\naction = "highlight"\n')
    problems = []

    async def scenario(pilot, screen):
        rows = screen.article_list.rows
        lit = next(i for i, r in enumerate(rows) if "gold" in r.tags and i > 0)
        plain = next(i for i, r in enumerate(rows) if "gold" not in r.tags and i > 0)
        app = pilot.app
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            drawn = Drawn(app)
            title, other = (next(s for s in list_row(drawn, i) if rows[i].title[-2:] in s.text)
                            for i in (lit, plain))
            if colours(app, title.style)[0] == colours(app, other.style)[0]:
                problems.append(f"{theme}: a highlighted row looks like any other "
                                f"{title.style} {other.style}")
            problems.extend(f"{theme}: {text!r} {ratio}" for ratio, text
                            in text_contrasts(app, [title]) if ratio < TEXT)

    run_app_test(app, scenario, size=(100, 24))
    assert not problems, "\n".join(problems)


def test_a_rule_that_hides_rows_drops_them_from_the_list_with_the_counts(
        make_app, ui_settings, monkeypatch):
    """D8: the counts dropped at once, the list only once its worker had listed again
    (up to a second at 100k): a node's count and its list disagreed meanwhile."""
    app = app_with(make_app, ui_settings, '# no rules yet\n')

    async def scenario(pilot, screen):
        assert len(screen.article_list.rows) == 12
        monkeypatch.setattr(screen, "refresh_list", lambda keep=None: None)  # (not yet)
        gold = {a.path for a in screen.article_list.rows if a.title[:4] in ("Gold", "黄金报告")}
        _, changed = screen.services.rules.add("gold", "hide", frozenset(gold))
        screen.rule_nodes.changed(changed)
        paths = {a.path for a in screen.article_list.rows}
        assert len(paths) == 9 and not paths & gold and label_count(screen, ALL) == "9/9"

    run_app_test(app, scenario)


def test_the_hidden_node_waits_for_the_tree_it_belongs_to():
    """D8: while the catalog loaded, the tree showed a lone "Hidden applying…"."""
    class TreeApp(App):
        def compose(self):
            yield GroupTree()

    async def scenario():
        async with TreeApp().run_test() as pilot:
            tree = pilot.app.query_one(GroupTree)
            tree.set_hidden(True, "applying…")
            assert not tree.root.children
            tree.rebuild(GroupCounts([], set(), set()))
            assert tree._group_nodes[HIDDEN].label.count == "applying…"
            assert [n.data for n in tree.root.children[:4]][3] == HIDDEN

    asyncio.run(scenario())
