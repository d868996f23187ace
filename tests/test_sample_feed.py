"""Checks on sample_feed/, newsreader's own (fictional) demo archive."""

import re
from datetime import datetime
from pathlib import Path

import frontmatter
import pytest

CONTENT = Path(__file__).resolve().parent.parent / "sample_feed" / "content"
LANGS = ("en", "zh-CN", "zh-HK")
KEYS = ["title", "date", "summary", "categories", "lang", "translations", "tags",
        "menu", "thumbnail", "lead", "comments", "authorbox", "pager", "toc",
        "mathjax", "sidebar", "widgets"]
PATH_RE = re.compile(r"^(en|zh-CN|zh-HK)/news/[a-z0-9-]+/[0-9a-f]{32}\.(en|zh-CN|zh-HK)\.md$")
LINK_RE = re.compile(r"^\[[^\]]+\]\(https://example\.(com|org|net)/\S+\)$")


def _load():
    articles = []
    for path in sorted(CONTENT.rglob("*.md")):
        post = frontmatter.load(path)
        lines = post.content.strip().splitlines()
        articles.append({"rel": path.relative_to(CONTENT).as_posix(),
                         "raw": path.read_text(encoding="utf-8"), "meta": post.metadata,
                         "last": lines[-1] if lines else "",
                         "body": "\n".join(lines[:-1]).strip()})
    return articles


ARTICLES = _load()


def test_count_and_layout():
    assert len(ARTICLES) >= 40
    for a in ARTICLES:
        m = PATH_RE.match(a["rel"])
        assert m, a["rel"]
        assert m.group(1) == m.group(2) == a["meta"]["lang"][0], a["rel"]


def test_front_matter_keys_order_and_dates():
    for a in ARTICLES:
        head = a["raw"].split("---\n", 2)[1]
        keys = re.findall(r"^([a-z]+):", head, re.M)
        assert keys == KEYS, a["rel"]
        date = a["meta"]["date"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", date), a["rel"]
        datetime.strptime(date, "%Y-%m-%d %H:%M:%S")
        assert a["meta"]["lang"][0] in a["meta"]["translations"]


def test_last_line_links_the_original():
    for a in ARTICLES:
        assert LINK_RE.match(a["last"]), a["rel"]


def test_three_languages_roughly_balanced():
    counts = {lang: sum(a["meta"]["lang"] == [lang] for a in ARTICLES) for lang in LANGS}
    assert all(n >= len(ARTICLES) // 5 for n in counts.values()), counts


def test_categories_tags_and_months():
    cats = {c for a in ARTICLES for c in a["meta"]["categories"]}
    tags = {t for a in ARTICLES for t in a["meta"]["tags"]}
    months = {a["meta"]["date"][:7] for a in ARTICLES}
    assert len(cats) >= 5, cats
    assert len(tags) >= 8, tags
    assert len(months) >= 4, months


FEATURES = {
    "table": lambda b: re.search(r"^\|.*\|\n\|[-:| ]+\|$", b, re.M),
    "code": lambda b: re.search(r"^```\w*\n.*?^```$", b, re.M | re.S),
    "image": lambda b: re.search(r"!\[[^\]]*\]\(https://example\.\w+/\S+\)", b),
    "heading": lambda b: re.search(r"^## \S", b, re.M),
    "long": lambda b: len(b) > 6000,
    "empty": lambda b: b == "",
    "bare rule": lambda b: re.search(r"^---$", b, re.M),
    "blockquote": lambda b: re.search(r"^> \S", b, re.M),
    "nested list": lambda b: re.search(r"^- .*\n  - ", b, re.M),
}


@pytest.mark.parametrize("name", list(FEATURES))
def test_body_features_present(name):
    assert any(FEATURES[name](a["body"]) for a in ARTICLES), name


def test_hostile_titles_empty_summary_and_thumbnail():
    assert any(a["meta"]["summary"] == "" for a in ARTICLES)
    assert any(a["meta"]["thumbnail"] for a in ARTICLES)
    titles = [a["meta"]["title"] for a in ARTICLES]
    assert any("[" in t and "]" in t and "&amp;" in t for t in titles)
    assert any("&#39;" in t for t in titles)
    assert any("[bold]" in t for t in titles)
    assert any(len(t) > 200 for t in titles)


def test_zh_hk_translates_zh_cn_with_shared_ids():
    by_id = {}
    for a in ARTICLES:
        by_id.setdefault(a["rel"].rsplit("/", 1)[1].split(".")[0], []).append(a)
    pairs = [v for v in by_id.values() if len(v) == 2]
    assert len(pairs) >= 3
    for pair in pairs:
        for a in pair:
            assert sorted(a["meta"]["translations"]) == ["zh-CN", "zh-HK"], a["rel"]


def test_simplified_and_traditional_vocabulary():
    text = {lang: "".join(a["meta"]["title"] + a["body"] for a in ARTICLES
                          if a["meta"]["lang"] == [lang]) for lang in LANGS}
    for word in ("银行", "芯片", "人工智能", "经济", "数据中心", "英伟达", "软银", "电动车"):
        assert word in text["zh-CN"], word
    for word in ("銀行", "晶片", "人工智慧", "經濟", "數據中心", "輝達", "軟銀", "電動車"):
        assert word in text["zh-HK"], word
    for word in ("rates", "rating", "markets", "investors", "investing"):
        assert word in text["en"], word
