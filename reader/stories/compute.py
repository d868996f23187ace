"""Signatures of archive articles: from a body at hand (a scan's parsed articles) or
read from the file (its text after the front matter, which is never parsed again)."""

from __future__ import annotations

import os
from pathlib import Path

from reader.archive.body_text import body_of, decode
from reader.archive.model import Article
from reader.archive.safe_open import read_regular
from reader.stories.signature import Signature, signature_of
from reader.stories.store import Stamp

READ_BYTES = 200_000  # of a file: the lead and the digest need far less


def stamp(article: Article) -> Stamp:
    return article.size, article.mtime


def signature_for(article: Article, body: str) -> Signature:
    return signature_of(article.path, article.date.timestamp(), article.source,
                        article.title, body)


def file_body(root: Path, path: str) -> str | None:
    """The body of the file `root/path` (None when it cannot be read)."""
    try:
        data = read_regular(os.path.join(root, path), READ_BYTES)[0]
    except OSError:
        return None
    return body_of(decode(data)[0])
