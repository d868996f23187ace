"""Whoosh's own codec, with the inlining of short posting lists repaired.

Most CJK bigrams and trigrams occur in a handful of articles.  Whoosh 2.7.4
writes each such term as a separate, zlib-compressed, pickled block, which
costs far more than its postings; its codec means to store lists shorter
than `inlinelimit` inside the term record instead, but calls a method that
does not exist (`set_inline` for `set_inlined`), so only `inlinelimit=1`
(never inline) works.  This subclass calls the right method.

Segments pickle their codec: keep these class names, and reader/index/codec.py, the
path indexes written before this package pickled, re-exporting them.
"""

from __future__ import annotations

from array import array
from pickle import dumps

from whoosh.codec import whoosh3

INLINE_LIMIT = 8  # posting lists shorter than this live in the term record
COMPRESSION = 1  # zlib level for longer lists: level 3 costs more, saves little


class InliningPostingsWriter(whoosh3.W3PostingsWriter):
    def add_posting(self, id_, weight, vbytes, length=None):
        """The parent's method without its per-posting type assertions."""
        ids = self._ids
        if len(ids) >= self._blocklimit:
            self._write_block()
            ids = self._ids
        ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def finish_postings(self):
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        # a format without values (Existence) must still read back bytes per posting:
        # Whoosh's ListMatcher returns the str '' for an empty value list
        values = self._values or [b""] * len(self._ids)
        terminfo.set_inlined(self._ids, self._weights, values)
        self._terminfo = None
        return terminfo


class ArticleFieldWriter(whoosh3.W3FieldWriter):
    fast_inline = True  # False: every term through the postings writer (tests compare)

    def add_postings(self, schema, lengths, items):
        """Write sorted (fieldname, btext, docnum, weight, value) postings.

        The parent looks up the document's field length through two method calls
        per posting; here each length is looked up once per field.  A term's
        postings are gathered first: a short list (most terms) is packed into its
        term record at once (`_inlined_record`, byte for byte what the postings
        writer makes of it), a longer one goes through the postings writer.
        """
        last_field = last_text = None
        field_lengths: dict[int, int] = {}
        term: list = []
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != last_field:
                if last_text is not None:
                    self._write_term(last_text, term)
                if last_field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                last_field, last_text, field_lengths = fieldname, None, {}
            if btext != last_text:
                if last_text is not None:
                    self._write_term(last_text, term)
                last_text, term = btext, []
            length = field_lengths.get(docnum)
            if length is None:
                length = lengths.doc_field_length(docnum, fieldname) if lengths else 0
                field_lengths[docnum] = length
            term.append((docnum, weight, value or b"", length))
        if last_text is not None:
            self._write_term(last_text, term)
        if last_field is not None:
            self.finish_field()

    def _write_term(self, btext: bytes, postings: list) -> None:
        if self.fast_inline and len(postings) < self._codec._inlinelimit:
            self._tindex.add(whoosh3.pack_ushort(self._fieldid) + btext,
                             _inlined_record(postings))
            return
        self.start_term(btext)
        add = self._postwriter.add_posting
        for posting in postings:
            add(*posting)
        self.finish_term()


_NO_LENGTH = 0


def _inlined_record(postings: list) -> bytes:
    """A W3 term record with its postings inlined, as InliningPostingsWriter and
    W3TermInfo.to_bytes write it (weights as 32-bit floats, lengths only when not 0)."""
    ids = tuple(p[0] for p in postings)
    weights = array("f", (p[1] for p in postings))
    values = tuple(p[2] for p in postings)
    if not any(values):  # a format without values (see finish_postings)
        values = (b"",) * len(ids)
    nonzero = [p[3] for p in postings if p[3]]
    minlength = whoosh3.length_to_byte(min(nonzero)) if nonzero else _NO_LENGTH
    maxlength = whoosh3.length_to_byte(max(nonzero, default=0))
    head = whoosh3.W3TermInfo._struct.pack(True, sum(weights), len(ids), minlength, maxlength,
                                           max(max(weights), 0), ids[0], ids[-1])
    return head + dumps((ids, tuple(weights), values), 2)


class ArticleCodec(whoosh3.W3Codec):
    def __init__(self, blocklimit=128, compression=COMPRESSION, inlinelimit=INLINE_LIMIT):
        super().__init__(blocklimit, compression, inlinelimit)

    def field_writer(self, storage, segment):
        return ArticleFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return InliningPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                      compression=self._compression,
                                      inlinelimit=self._inlinelimit)
