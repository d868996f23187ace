"""The article list: a line-API ScrollView over a list of Article.

Only the visible rows are rendered (each into one Strip, cached), so 100,000
rows scroll as smoothly as 100.  The list knows nothing of the state store:
the screen hands it two lookups, `is_read` and `is_starred`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Callable, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.archive.model import Article
from reader.session.stories import Story
from reader.ui.contrast import readable_style
from reader.ui.highlight import legible
from reader.ui.sanitize import clean_line
from reader.ui.widgets.cells import cut, fit
from reader.ui.widgets.row_places import index_of, new_place, path_of, story_place
from reader.ui.wording import local_date

Lookup = Callable[[str], bool]
StoryOf = Callable[[str], "Story | None"]
PARTS = ("star", "date", "source")  # the parts of a row with colours of their own
SOURCE_WIDTH = 12


class ArticleList(ScrollView, can_focus=True):
    """Rows of date, marks, source and title; the cursor row is highlighted."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open", show=False, id="list.open"),
        Binding("x", "toggle_story", "Copies", id="list.story"),
    ]

    COMPONENT_CLASSES = {
        "article-list--cursor", "article-list--unread", "article-list--read",
        "article-list--date", "article-list--source", "article-list--star",
        "article-list--highlight",  # a highlight rule's row (newsboat's highlight-article)
    }

    DEFAULT_CSS = """
    ArticleList { overflow-x: hidden; }
    ArticleList > .article-list--cursor { background: $block-cursor-blurred-background; }
    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    ArticleList:ansi > .article-list--cursor { text-style: underline; }
    ArticleList:ansi:focus > .article-list--cursor { text-style: none; }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--read { color: $text-muted; }
    ArticleList > .article-list--date { color: $text-secondary; }
    ArticleList > .article-list--source { color: $text-accent; }
    ArticleList > .article-list--star { color: $text-warning; }
    ArticleList > .article-list--highlight { color: $text-success; }
    ArticleList:ansi > .article-list--highlight { color: ansi_magenta; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    # The rows change at every keystroke of a search: a new virtual size repaints the list
    # and its scrollbar (`_resized`), never reflows the whole screen as Widget's does.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0))

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto an article."""

        article_list: "ArticleList"
        article: Article
        index: int

    @dataclass
    class Selected(Message):
        """An article was chosen (enter, double click)."""

        article_list: "ArticleList"
        article: Article
        index: int

    @dataclass
    class StoryToggled(Message):
        """The copies of the cursor's story are to be shown or hidden (x)."""

        article_list: "ArticleList"
        article: Article
        story: Story

    def __init__(self, tz: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tz = tz
        self.rows: Sequence[Article] = []
        self.is_read: Lookup = lambda path: False
        self.is_starred: Lookup = lambda path: False
        self.is_highlighted: Lookup = lambda path: False  # matched by a highlight rule
        # Stories (copies of one report): a row stands for its story, its copies below it
        # when the story is expanded (story_rows in reader/session/story_list.py)
        self.story_of: StoryOf = lambda path: None
        self.story_label: Callable[[Story], str] = lambda story: f"×{len(story)}"
        self.story_read: Callable[[Story], bool] | None = None  # a folded story's look
        self.expanded: frozenset[str] = frozenset()
        self.grouping = False  # stories are grouped (x is a key)
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._styles: dict[tuple[bool, ...], dict[str, Style]] = {}  # of a row's parts
        self.generation = 0  # bumped each time the list shows new rows
        self._partial = False  # the rows are a first page
        self._count_held = False  # no count in the title (hold_count)
        self._cursor_story: tuple[str, Story | None] = ("", None)  # the cursor row's, as
        # last seen: where the cursor goes when its copy's file is deleted (_place_after)
        self._left_story: tuple[str | None, Story] | None = None  # the row the cursor was
        # put on off that story (None: no row), while it has not moved (set_rows of the
        # same list puts it back on the story)
        self._count: str | None = None  # the title's count, as the screen says it

    # -- calls from the screen ----------------------------------------------------

    def set_rows(self, rows: Sequence[Article], keep: str | None = None,
                 partial: bool = False, again: bool = False) -> bool:
        """Show these rows; the cursor stays on the article `keep` if it is among them.
        If `keep` is the cursor's article and it went (its file deleted), the cursor goes
        where `update_rows` puts it, or back to its story's row if an edit in place put
        it off the story (the story's other copies were folded away, not in the rows
        edited) and it has not moved since (`again`: the rows are the same list's, made
        again); no Highlighted is posted then: the article shown stays (marked gone),
        and True is returned.  `partial`: the first page of a longer list, which is
        still coming."""
        old, cursor = self.rows, self.cursor
        self.rows = rows
        self.generation += 1
        self._cache.clear()
        self._resized(len(rows))
        self._partial = partial
        self._count = None
        self._title()
        index = None if keep is None else index_of(rows, keep)
        left, self._left_story = self._left_story, None
        quiet = story_place(rows, left[1]) if again and left and keep == left[0] else None
        if quiet is None and index is None and keep is not None and 0 <= cursor < len(old) \
                and old[cursor].path == keep:
            quiet = self._place_after(old, rows, cursor)
        if quiet is None:
            self.move_to(index or 0, scroll_top=not index)
            self.refresh()
            return False
        self.set_reactive(ArticleList.cursor, quiet)
        self.scroll_to_region(Region(0, quiet, max(self.size.width, 1), 1), animate=False,
                              force=True, immediate=True)
        self._note_cursor_story()
        self.refresh()
        return True

    def update_rows(self, rows: Sequence[Article]) -> None:
        """The same list with some rows added, removed or changed (the archive changed):
        the rows on screen stay where they were (the scroll moves by the rows inserted or
        removed above them) and the cursor stays on its article, or goes to the row that
        took its place if it went.  No Highlighted is posted: the article shown stays."""
        old, top, cursor = self.rows, int(self.scroll_offset.y), self.cursor
        new_top = new_place(old, rows, top, limit=max(self.size.height, 1))
        new_cursor = self._place_after(old, rows, cursor)
        self.rows = rows
        self.generation += 1
        self._cache.clear()
        self._resized(len(rows))
        self._partial = False
        self._count = None
        self._title()
        self.set_reactive(ArticleList.cursor, max(0, min(cursor if new_cursor is None
                                                         else new_cursor, len(rows) - 1)))
        self.scroll_to(y=max(0, top if new_top is None else new_top), animate=False,
                       immediate=True)
        if self._left_story is not None:  # (put off its story: where it is now)
            self._left_story = (path_of(self.current), self._left_story[1])
        self._note_cursor_story()
        self.refresh()

    def _place_after(self, old: Sequence[Article], rows: Sequence[Article],
                     index: int) -> int | None:
        """Where the cursor on old row `index` goes in `rows`: its article's row, else its
        story's (the copy that took its row in an expanded story, or the row that stands
        for the story now: a folded story's copy deleted, the cursor went to the next
        story, or to the top), else the next old row still there."""
        place = new_place(old, rows, index)
        if not 0 <= index < len(old) or (place is not None
                                         and rows[place].path == old[index].path):
            return place
        path, story = self._cursor_story
        if story is None or path != old[index].path:
            return place
        if place is not None and rows[place].path in story.members:
            return place
        back = story_place(rows, story)
        if back is None:  # (its copies not in these rows: the same list made again may
            self._left_story = (None, story)  # bring its row back: set_rows)
        return place if back is None else back

    def _note_cursor_story(self) -> None:
        article = self.current
        if article is not None:
            self._cursor_story = (article.path, self.story_of(article.path))

    def hold_count(self, held: bool) -> None:
        """No count in the title while `held` (the rows may hold what a hide rule being
        applied will hide)."""
        self._count_held = held
        self._title()

    def show_count(self, count: str) -> None:
        """The title's count as the screen says it ("13 stories": as the tree counts),
        until the rows change (their own number meanwhile)."""
        self._count = count
        self._title()

    def _title(self) -> None:
        count = self._count or f"{len(self.rows):,}{'+' if self._partial else ''}"
        title = f"Articles ({'…' if self._count_held else count})"
        if title != self.border_title:  # (a mark repaints its own row, not the list)
            self.border_title = title

    def _resized(self, rows: int) -> None:
        """The list is `rows` high: the scrollbar follows (a scrollbar that appears or
        goes still reflows the screen: its reactive says so)."""
        self.virtual_size = Size(0, rows)
        self._scroll_update(self.virtual_size)

    def refresh_paths(self, paths: set[str]) -> None:
        """Repaint the rows on screen of these articles (their marks changed), not the
        whole list: a mark's frame then costs its own row."""
        top = int(self.scroll_offset.y)
        width = self.size.width
        for y, article in enumerate(self.rows[top:top + self.size.height]):
            story = self.story_of(article.path)  # (a folded copy's mark: its story's row)
            if article.path in paths or (story is not None and not paths.isdisjoint(
                    story.members)):
                self.refresh(Region(0, y, width, 1))

    @property
    def current(self) -> Article | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def move_to(self, index: int, scroll_top: bool = False) -> None:
        if not self.rows:
            self.cursor = 0
            return
        self.cursor = max(0, min(index, len(self.rows) - 1))
        if scroll_top:
            self.scroll_to(y=0, animate=False, immediate=True)

    # -- cursor -------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._left_story = None
        self.refresh()
        if not self.rows:
            return
        self._cursor_in_view()
        self._note_cursor_story()
        self.post_message(self.Highlighted(self, self.rows[new], new))

    def on_resize(self) -> None:
        """Shorter (`{`, a smaller terminal): the cursor's row kept in view, once the
        new height is laid out."""
        if self.rows:
            self.call_after_refresh(self._cursor_in_view)

    def _cursor_in_view(self) -> None:
        if self.rows:
            self.scroll_to_region(Region(0, self.cursor, self.scrollable_content_region.width,
                                         1), animate=False, force=True, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current, self.cursor))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """x is shown (in the footer) and works only while the list groups stories."""
        return self.grouping if action == "toggle_story" else True

    def action_toggle_story(self) -> None:
        article = self.current
        story = self.story_of(article.path) if article is not None else None
        if story is not None:
            self.post_message(self.StoryToggled(self, article, story))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_offset.y) + offset.y
        if 0 <= index < len(self.rows):
            self.move_to(index)
            if event.chain >= 2:
                self.action_select()

    def notify_style_update(self) -> None:
        """A new theme or class: cached rows hold the old colours (focus and width are
        in the cache key already)."""
        self._cache.clear()
        self._styles.clear()
        super().notify_style_update()

    # -- rendering ----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, self.rich_style)
        article = self.rows[index]
        read, starred = self.row_read(index), self.is_starred(article.path)
        lit = self.is_highlighted(article.path)
        story = self._story_part(index)
        key = (article.path, width, read, starred, lit, index == self.cursor, self.has_focus,
               story)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(article, width, read, starred, index == self.cursor, lit,
                                     story)
            self._cache[key] = strip
        return strip

    def row_read(self, index: int) -> bool:
        """Whether a row looks read: a folded story's row as its story is (read when every
        copy is, as the tree counts it: `story_read`), any other row as its article is
        (an expanded story's copies are each on a row of their own)."""
        path = self.rows[index].path
        story = self.story_of(path)
        if story is None or self.story_read is None or story.id in self.expanded:
            return self.is_read(path)
        return self.story_read(story)

    def _story_part(self, index: int) -> tuple[str, str] | None:
        """(before the title, after it) for a row of a story: its copies' count and
        sources after the row that stands for it (▸ when folded, ▾ expanded), an arrow
        before each copy shown under it."""
        story = self.story_of(self.rows[index].path)
        if story is None:
            return None
        if index > 0 and self.story_of(self.rows[index - 1].path) is story:
            return "  ↳ ", ""
        return ("▾ " if story.id in self.expanded else "▸ "), f"  {self.story_label(story)}"

    def _render_row(self, article: Article, width: int, read: bool, starred: bool,
                    at_cursor: bool, lit: bool = False,
                    story: tuple[str, str] | None = None) -> Strip:
        styles = self._part_styles(read, at_cursor, lit)
        fmt = "%Y-%m-%d %H:%M" if width >= 70 else "%m-%d %H:%M"
        parts = [("●" if not read else " ", "star"), ("★" if starred else " ", "star"),
                 (f" {local_date(article.date, self.tz, fmt)} ", "date")]
        if width >= 60:
            parts.append((fit(clean_line(article.source), SOURCE_WIDTH) + " ", "source"))
        before, after = story or ("", "")
        after = cut(after, max(0, width // 3)) if after else ""
        used = sum(cell_len(text) for text, _ in parts) + cell_len(before) + cell_len(after)
        title = fit(clean_line(article.title) or "(untitled)", max(0, width - used))
        if story is None:
            parts.append((title, "title"))
        else:
            parts += [(before, "star"), (title, "title"), (after, "source")]
        segments = [Segment(text, styles[name]) for text, name in parts]
        return Strip(segments).adjust_cell_length(width, styles["title"]).simplify()

    def _part_styles(self, read: bool, at_cursor: bool, lit: bool = False) -> dict[str, Style]:
        """The style of each part of a row.  On the cursor row every part takes the cursor's
        colours, made readable where the theme's are not: a date in its own colour on
        the cursor's bar was unreadable (blue on blue in textual-dark).  Kept until the
        styles change: working them out costs more than drawing the row."""
        key = (read, at_cursor, self.has_focus, lit)
        styles = self._styles.get(key)
        if styles is None:
            styles = self._styles[key] = self._work_out_styles(read, at_cursor, lit)
        return styles

    def _work_out_styles(self, read: bool, at_cursor: bool, lit: bool) -> dict[str, Style]:
        row = self.rich_style + self._style("read" if read else "unread")
        if at_cursor:
            return dict.fromkeys(("title", *PARTS), readable_style(row + self._style("cursor")))
        title = legible(row + self._colour("highlight")) if lit else row
        return {"title": title, **{name: row + self._colour(name) for name in PARTS}}

    def _style(self, name: str) -> Style:
        """A component's style as drawn: colours with an alpha (the blurred cursor is the
        accent at 30%) blended over the list's background, not taken as opaque."""
        return self.get_component_rich_style(f"article-list--{name}")

    def _colour(self, name: str) -> Style:
        return Style(color=self._style(name).color)
