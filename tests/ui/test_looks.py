"""Colours and focus in every built-in theme, measured on what the screen draws.

Each theme is applied in turn and the screen's cells are read back (the strips
the compositor sends to the terminal); contrast is WCAG 2's ratio, with ANSI
colours resolved through the app's ANSI palette.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from reader.ui.contrast import BLACK, WHITE, contrast, readable
from reader.ui.widgets.article_list import ArticleList
from tests.ui.conftest import press, run_app_test

TEXT = 4.5  # WCAG AA, normal text
LARGE_OR_MUTED = 3.0  # WCAG AA for large text and user-interface parts


def colours(app, style: Style) -> tuple[tuple, tuple]:
    """(text, background) of a cell as RGB; reverse swaps them as the terminal does."""
    palette = app.ansi_theme
    fg = style.color.get_truecolor(palette, True) if style.color else palette.foreground_color
    bg = style.bgcolor.get_truecolor(palette, False) if style.bgcolor else \
        palette.background_color
    fg, bg = tuple(fg), tuple(bg)
    return (bg, fg) if style.reverse else (fg, bg)


class Drawn:
    """The screen as the terminal gets it (the compositor's strips), drawn once."""

    def __init__(self, app) -> None:
        self.app = app
        self.rows = app.screen._compositor.render_strips()

    def cells(self, y: int, x0: int, x1: int) -> list[Segment]:
        """The segments of row `y` between columns x0 and x1."""
        return list(self.rows[y].crop(x0, x1))


def text_contrasts(app, segments: list[Segment]) -> list[tuple[float, str]]:
    out = []
    for segment in segments:
        if segment.text.strip():
            fg, bg = colours(app, segment.style)
            out.append((round(contrast(fg, bg), 2), segment.text.strip()))
    return out


def row_background(app, segments: list[Segment]) -> tuple:
    return colours(app, segments[0].style)[1]  # (the last cell may be the scrollbar's)


def list_row(drawn: Drawn, index: int) -> list[Segment]:
    region = drawn.app.screen.article_list.content_region
    return drawn.cells(region.y + index, region.x, region.right)


def tree_line(drawn: Drawn, line: int) -> list[Segment]:
    tree = drawn.app.screen.tree
    region = tree.content_region
    return drawn.cells(region.y + line - int(tree.scroll_offset.y), region.x, region.right)


def title_cells(drawn: Drawn, widget, title: str) -> list[Segment]:
    """The cells of a pane's title on its top border."""
    region = widget.region
    row = drawn.cells(region.y, region.x, region.right)
    return [s for s in row if s.text.strip() and s.text.strip() in title]


def border_cells(drawn: Drawn, widget) -> list[Segment]:
    region = widget.region
    return [s for s in drawn.cells(region.y, region.x, region.right)
            if set(s.text) <= set("─━ ") and s.text.strip()]


def list_problems(drawn: Drawn, screen, theme: str) -> list[str]:
    """The list's rows: text on the cursor's bar reads (4.5:1), other text at least 3:1,
    and the bar shows (or the cursor row is underlined, in ANSI themes)."""
    problems = []
    where = "focused" if screen.focused is screen.article_list else "blurred"
    app = drawn.app
    cursor, read, unread = (list_row(drawn, i) for i in range(3))
    for ratio, text in text_contrasts(app, cursor):
        if ratio < TEXT:
            problems.append(f"{theme} {where} cursor row: {text!r} {ratio}")
    for ratio, text in text_contrasts(app, read + unread):
        if ratio < LARGE_OR_MUTED:
            problems.append(f"{theme} {where} row: {text!r} {ratio}")
    bar = contrast(row_background(app, cursor), row_background(app, read))
    underlined = all(s.style.underline for s in cursor if s.text.strip())
    if bar < (2.5 if where == "focused" else 1.2) and not underlined:
        problems.append(f"{theme} {where} cursor bar hardly visible: {bar:.2f}")
    return problems


def tree_problems(drawn: Drawn, theme: str) -> list[str]:
    """The tree's cursor line (All) reads at 4.5:1, the counts of the next line at 3:1."""
    return [f"{theme} tree line {line}: {text!r} {ratio}"
            for line, needed in ((0, TEXT), (1, LARGE_OR_MUTED))
            for ratio, text in text_contrasts(drawn.app, tree_line(drawn, line))
            if ratio < needed]


def focus_problems(drawn: Drawn, screen, theme: str, panes: dict) -> list[str]:
    """The focused pane's name is on a bar of the focus colour (readable, and unlike the
    other panes' names) over a heavy line."""
    pane = screen.focused
    name = next(n for n, widget in panes.items() if widget is pane)
    app = drawn.app
    title = title_cells(drawn, pane, name)
    others = [s for other, widget in panes.items() if widget is not pane
              for s in title_cells(drawn, widget, other)]
    if not title or not others:
        return [f"{theme} {name}: no title drawn"]
    problems = []
    fg, bg = colours(app, title[0].style)
    other_bg = colours(app, others[0].style)[1]
    if contrast(fg, bg) < TEXT:
        problems.append(f"{theme} {name}: focused title {contrast(fg, bg):.2f}")
    if contrast(bg, other_bg) < 2.5:
        problems.append(f"{theme} {name}: focused title bar {contrast(bg, other_bg):.2f}")
    line = border_cells(drawn, pane)
    if not line or line[0].text.strip()[0] != "━":
        problems.append(f"{theme} {name}: the focused border is not heavy")
    return problems


def test_every_theme_is_readable_and_shows_the_focus(make_app):
    """Every built-in theme, on a list whose second row is read and starred (so that
    every colour of a row is drawn)."""
    problems = []

    async def scenario(pilot, screen):
        await press(pilot, "j", "m", "s", "k")
        panes = {"Groups": screen.tree, "Articles (12)": screen.article_list,
                 "Article": screen.article_pane}
        app = pilot.app
        for theme in sorted(app.available_themes):
            app.theme = theme
            for pane in panes.values():
                screen.set_focus(pane)
                await pilot.pause()
                drawn = Drawn(app)
                problems.extend(focus_problems(drawn, screen, theme, panes))
                if pane is not screen.article_pane:
                    problems.extend(list_problems(drawn, screen, theme))
                if pane is screen.tree:
                    problems.extend(tree_problems(drawn, theme))

    run_app_test(make_app(), scenario, size=(100, 24))
    assert not problems, "\n".join(problems)


def test_the_tree_shows_its_cursor_before_it_is_used(make_app):
    async def scenario(pilot, screen):
        tree = screen.tree
        assert tree.cursor_node is not None and tree.cursor_node.data == ("all", "")
        await press(pilot, "tab", "tab")  # list -> article -> tree
        assert screen.focused is tree
        await press(pilot, "j")  # the first j moves from All to Unread
        assert tree.cursor_node.data == ("unread", "")
        assert screen.group == ("unread", "")

    run_app_test(make_app(), scenario)


def test_the_list_cursor_looks_different_when_the_list_has_no_focus(make_app):
    async def scenario(pilot, screen):
        focused = row_background(pilot.app, list_row(Drawn(pilot.app), 0))
        screen.set_focus(screen.article_pane)
        await pilot.pause()
        blurred = row_background(pilot.app, list_row(Drawn(pilot.app), 0))
        assert focused != blurred  # the accent at 30% was drawn as the full accent
        assert isinstance(screen.article_list, ArticleList)

    run_app_test(make_app(), scenario)
