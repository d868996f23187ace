"""Nothing is cut without "…", counts never: tree labels, list rows, the footer, in cells
as the terminal counts them (a Chinese character is two)."""

from __future__ import annotations

from datetime import datetime, timezone

from rich.cells import cell_len

from reader.archive.model import Article
from reader.state import GroupCounts
from reader.ui.widgets.cells import cut, fit, name_and_count
from reader.ui.widgets.footer import ReaderFooter
from tests.ui.conftest import article, press, run_app_test
from tests.ui.test_looks import Drawn

LONG_EN = "Dow Jones Newswires reports that regional lenders cut deposit rates again this week"
LONG_ZH = "銀行淨息差受壓 多家銀行下調存款利率 分析指明年仍有下行壓力 中小銀行首當其衝"


def test_fit_cuts_by_cells_with_an_ellipsis_and_never_halves_a_character():
    assert fit("abc", 5) == "abc  "
    assert fit("abcdef", 5) == "abcd…"
    assert fit("銀行淨息差", 5) == "銀行…"
    assert fit("銀行淨息差", 6) == "銀行… "  # 淨 would need two cells where one is left
    for width in range(1, 12):
        assert cell_len(fit(LONG_ZH, width)) == width
        assert fit(LONG_ZH, width).rstrip().endswith("…")
    assert cut("short", 10) == "short"
    assert cut("銀行淨息差", 7) == "銀行淨…"


def test_a_name_is_cut_and_its_count_kept_whole():
    name, count = name_and_count("Dow Jones Newswires", "2,921/2,921", 26)
    assert count == " 2,921/2,921" and name.endswith("…")
    assert cell_len(name + count) == 26
    name, count = name_and_count("道琼斯通讯社國際財經新聞", "12/12", 20)
    assert name.rstrip().endswith("…") and cell_len(name + count) == 20


def fake_articles() -> list[Article]:
    moment = datetime(2025, 2, 1, tzinfo=timezone.utc)
    sources = (("Dow Jones Newswires", 2921), ("道琼斯通讯社國際財經新聞", 12))
    return [Article(path=f"{source}/{i}.md", title="t", date=moment, source=source, lang="en")
            for source, count in sources for i in range(count)]


def test_tree_counts_are_whole_and_names_cut_at_the_default_width(make_app):
    async def scenario(pilot, screen):
        tree = screen.tree
        tree.rebuild(GroupCounts(fake_articles(), set(), set()))
        tree.select_key(("source", "Dow Jones Newswires"))  # expands Sources
        await press(pilot)
        region = tree.content_region
        drawn = Drawn(pilot.app)
        lines = ["".join(s.text for s in drawn.cells(y, region.x, region.right))
                 for y in range(region.y, region.y + 12)]
        dow = next(line for line in lines if line.lstrip("├└ ").startswith("Dow"))
        zh = next(line for line in lines if "道琼斯" in line)
        assert dow.rstrip().endswith("… 2,921/2,921") and "Dow Jones" in dow, dow
        assert zh.rstrip().endswith("… 12/12") and "道琼斯" in zh, zh
        assert all(cell_len(line) == region.width for line in lines)

    run_app_test(make_app(), scenario)


def test_list_sources_and_titles_are_cut_with_an_ellipsis(make_app, archive_factory):
    files = {
        "en/news/dowjonesnewswires/1.en.md": article(LONG_EN, "2025-02-02 10:00:00", "x"),
        "zh-HK/news/道琼斯通讯社/2.zh-HK.md": article(LONG_ZH, "2025-02-01 10:00:00", "x"),
    }
    root = archive_factory(files, name="long")

    async def scenario(pilot, screen):
        article_list = screen.article_list
        width = article_list.scrollable_content_region.width
        rows = ["".join(s.text for s in article_list.render_line(i)) for i in range(2)]
        for row in rows:
            assert cell_len(row) == width
            assert row.rstrip().endswith("…"), row
        assert "dowjonesnew… " in rows[0]
        assert "道琼斯通讯社 " in rows[1]  # 12 cells: it fits whole

    run_app_test(make_app(root), scenario)


def test_the_footer_shows_whole_keys_and_an_ellipsis_for_the_rest(make_app):
    async def scenario(pilot, screen):
        for width in (80, 120, 160, 240):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            await pilot.pause()
            footer = screen.query_one(ReaderFooter)
            drawn = Drawn(pilot.app)
            text = "".join(s.text for s in drawn.rows[footer.region.y])
            keys = [k for k in footer.query("FooterKey") if not k.has_class("-command-palette")]
            shown = [k for k in keys if k.display]
            for key in shown:
                assert f"{key.key_display} {key.description}" in text, (width, text)
            assert ("…" in text) == (len(shown) < len(keys)), (width, text)
            assert text.rstrip().endswith("^p palette"), (width, text)
        assert len(shown) == len(keys)  # 240 columns hold them all

    run_app_test(make_app(), scenario)


def test_the_help_screen_explains_unread_over_total(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "question_mark")
        note = pilot.app.screen.query_one("#help-counts")
        assert "unread/total" in str(note.content) and "Starred 0/1" in str(note.content)

    run_app_test(make_app(), scenario)
