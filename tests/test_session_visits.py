"""The reader records its visit as it opens the state and the first sighting of every path
its catalog gains (a whole load, a scan's delta); bulk marks and undos run in order."""

from __future__ import annotations

from datetime import timedelta

from reader.archive import Archive
from reader.archive.model import Article
from reader.session.services import Services, to_the_end
from reader.state import READ, StateStore
from test_state_support import START


def art(i: int) -> Article:
    return Article(path=f"p/{i:03d}.md", title=f"Title {i}", date=START + timedelta(hours=i))


def services_of(archive_factory, settings) -> Services:
    archive = Archive.open(archive_factory({}), settings)
    services = Services(archive, settings, open_link=lambda url: True)
    assert services.open_state() == []
    return services


def article_file(i: int) -> str:
    return f'---\ntitle: "Title {i}"\ndate: "2025-02-{1 + i:02d} 10:00:00"\n---\n\nBody {i}.\n'


def test_the_reader_records_its_visit_and_what_its_catalog_gains(archive_factory, settings):
    root = archive_factory({f"p/{i:03d}.md": article_file(i) for i in range(5)})
    first = services_of(archive_factory, settings)
    first.scan()
    first.set_articles(first.archive.cached())
    first.flush()
    path = first.store.path
    first.close()
    second = services_of(archive_factory, settings)
    second.set_articles(second.archive.cached())  # the cache's, as at every start
    for i in (5, 6):
        (root / f"p/{i:03d}.md").write_text(article_file(i), encoding="utf-8")
    result = second.scan_paths(["p/005.md", "p/006.md"])  # then a watched batch
    second.take(second.apply_scan(result))
    assert second.new_paths().result() == {"p/005.md", "p/006.md"}  # after the sightings
    second.close()
    with StateStore.open(path) as store:  # what `newsreader search is:new` will see
        assert store.visits.new_paths() == {"p/005.md", "p/006.md"}
        assert len(store.visits.first_seen()) == 7


def test_u_right_after_a_bulk_mark_undoes_that_mark(archive_factory, settings, monkeypatch):
    monkeypatch.setattr("reader.session.services.MARK_CHUNK", 2)  # a bulk mark in steps
    services = services_of(archive_factory, settings)
    articles = [art(i) for i in range(4)]
    services.set_articles(articles)
    services.set_read(articles[:1])
    bulk = services.marking(READ, articles[1:], True, where="in view")
    next(bulk)  # the first chunk applied: the marks show at once, the step comes at the end
    assert services.read == {a.path for a in articles[:3]}
    changed = to_the_end(bulk)
    assert len(changed) == 3
    undone = services.undo().result()
    assert undone.label == "mark read: 3 articles in view"
    changed = to_the_end(services.undoing(undone))
    assert sorted(a.path for a in changed) == [a.path for a in articles[1:]]
    assert services.read == {articles[0].path}
    assert services.counts[("unread", "")].unread == 3
    undone = services.undo().result()  # the single mark before it: a step too
    to_the_end(services.undoing(undone))
    assert undone.label == "mark read \u201cTitle 0\u201d" and services.read == set()
    services.close()


def test_a_mark_made_while_a_bulk_mark_is_applied_is_the_users(archive_factory, settings,
                                                                 monkeypatch):
    monkeypatch.setattr("reader.session.services.MARK_CHUNK", 2)
    services = services_of(archive_factory, settings)
    articles = [art(i) for i in range(4)]
    services.set_articles(articles)
    bulk = services.marking(READ, articles, True, where="in view")
    next(bulk)  # articles 0 and 1 read; then the user marks 0 unread between two chunks
    services.set_read(articles[:1], False)
    assert [a.path for a in to_the_end(bulk)] == [a.path for a in articles[1:]]
    services.flush()
    assert services.store.read_set() == {a.path for a in articles[1:]} == services.read
    assert services.counts[("unread", "")].unread == 1
    services.close()

