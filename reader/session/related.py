"""Related articles: more-like-this over an article's most distinctive terms.

An article's signature for this is its few index terms (English words, Chinese
character pairs, as `reader.index.analysis.index_terms` makes them) that weigh most by
tf-idf over the index: frequent in it, rare in the archive.  The index's BM25 ranks the
articles holding any of them (an OR query); the article itself, the copies of its
story, and its copies outside the story's window (a copy dated by its file), or copies
of a hit listed before, are left out: related is what is not the same report.  Chinese
is served as English is, since pairs are index terms as words are.
"""

from __future__ import annotations

import math
from collections import Counter

from reader.index.analysis import fold, index_terms, is_cjk

TERMS = 10  # distinctive terms asked for
RELATED = 5
MAX_SHARE = 0.1  # a term in more of the archive's articles than this says too little
# (at 0.5, "that", "said" and "last" were among an article's ten: its OR query held 44%
# of the archive, and came back unranked); in a small archive, in up to half of them, or
# of 50, what is less
SMALL = 50
# the terms whose document frequencies are looked up: an article's most frequent (a long
# one has hundreds of terms, and their look-ups took 48 ms at p95 at 100,000 articles, 11
# with 96; on 200 articles of the real corpus the related articles were the same)
CANDIDATES = 96
SHARED = 2  # distinctive terms a related article holds at least


def distinctive_terms(text: str, index, terms: int = TERMS) -> list[str]:
    """The `terms` index terms of `text` with the highest tf-idf over `index`, among
    its `CANDIDATES` most frequent."""
    telling = Counter({t: n for t, n in index_terms(text).items() if _telling(t)})
    counts = dict(telling.most_common(CANDIDATES))
    total, frequencies = index.doc_frequencies(counts)
    most = max(total * MAX_SHARE, min(total / 2, SMALL))
    weighted = {t: n * math.log(total / frequencies[t]) for t, n in counts.items()
                if 1 < frequencies.get(t, 0) < most}  # shared, yet rare
    return sorted(weighted, key=lambda t: (-weighted[t], t))[:terms]


_OPERATORS = frozenset({"and", "not"})  # (words the query parser could take as syntax)


def _telling(term: str) -> bool:
    if is_cjk(term):
        return len(term) == 2  # a pair: one character says little
    return len(term) >= 3 and term.isalnum() and not term.isdigit() \
        and term not in _OPERATORS


def related(path: str, text: str, index, stories=None, limit: int = RELATED) -> list:
    """The `limit` hits most like the article at `path` (its `text`: title and body),
    not itself and not a copy of it (`stories`: the session's `Stories`)."""
    terms = distinctive_terms(text, index)
    if not terms:
        return []
    story = stories.story_of(path) if stories is not None else None
    left_out = set(story.members) if story is not None else {path}
    results = index.search(" OR ".join(terms), limit=limit + len(left_out) + 10)
    hits = [h for h in results.hits if h.path not in left_out and h.score > 0]  # (an
    # unranked hit is no more like it than any other: none rather than filler)
    hits = _sharing_enough(hits, terms, index, text)
    if stories is not None:  # one hit for each other story too, and no copy of it or
        kept = [p for p, _ in stories.one_per_story(h.path for h in hits)]  # of another
        kept = set(kept) - stories.copies_among(path, kept)  # hit, whatever the dates
        hits = [h for h in hits if h.path in kept]
    return hits[:limit]


def _sharing_enough(hits: list, terms: list[str], index, text: str) -> list:
    """The hits that hold `SHARED` of the article's words among its terms: one word
    shared is a name or a loan word more often than a topic (a Chinese game article's
    area "Iceshard Cliffs" listed Cleveland-Cliffs' steel news), and the overlapping
    character pairs of one run of its text (办公, 公室 of 办公室) are one word (an
    article on an ethics office listed Hong Kong's office news)."""
    word = _words(terms, fold(text))
    needed = min(SHARED, len(set(word.values())))
    held = index.terms_held([h.path for h in hits], terms)
    return [h for h in hits if len({word[t] for t in held[h.path]}) >= needed]


def _words(terms: list[str], folded: str) -> dict[str, str]:
    """Each term's word: a term, or the first of the character pairs that chain into
    one run of the folded text (办公 for 公室 when 办公室 is in it)."""
    word = {t: t for t in terms}

    def root(term: str) -> str:
        while word[term] != term:
            term = word[term]
        return term

    pairs = [t for t in terms if is_cjk(t)]
    for a in pairs:
        for b in pairs:
            if a != b and a[1] == b[0] and a + b[1] in folded and root(a) != root(b):
                word[root(b)] = root(a)
    return {t: root(t) for t in terms}


def related_articles(services, article, body: str, limit: int = RELATED) -> list:
    """For the reader (in a worker): the articles most like `article` (its `body` as
    parsed), those of the catalog that no hide rule hides, from the index as it is (none
    while it is empty)."""
    hidden, by_path = services.counts.hidden, services.catalog.by_path
    stories = services.stories if services.stories.view else None
    hits = related(article.path, f"{article.title}\n{body}", services.searcher.related_index,
                   stories, limit * 3)  # (some may be hidden)
    found = [by_path[h.path] for h in hits if h.path in by_path and h.path not in hidden]
    return found[:limit]
