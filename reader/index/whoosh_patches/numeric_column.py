"""A sortable numeric column (the articles' dates) read per segment in one piece.

Whoosh 2.7.4 reads a NumericColumn one document per Python call (a `get` of 8
bytes, a struct unpack, then `from_column_value`): every date of 100,000
articles took 0.27 s of CPU, which the newest-first order (every broad search
of `newsreader search`, each process anew) paid before its first hit.  Here
each segment's column is one `get` of its bytes into an array, big-endian as
Whoosh writes it, shifted back from its sortable form.  A 64-bit signed column
is shifted back by flipping each value's sign bit in the bytes and comes as an
array('q'): no Python int made for every document (the list of them cost 8-10
ms at 100k, 10 times that at 1M, and 28 bytes a document).  This reaches into
NumericColumn.Reader's private fields (its file, base position, count and
typecode); any other column is read Whoosh's way.
"""

from __future__ import annotations

import sys
from array import array

from whoosh import columns


SIGN_FLIPPED = bytes(b ^ 0x80 for b in range(256))  # a byte with its top bit flipped


def numeric_values(reader, fieldname: str):
    """Every document's value of the field, indexed by docnum (deleted ones too), as
    `list(reader.column_reader(fieldname))` gives them: an array('q') for a 64-bit
    signed int field, else a list."""
    field = reader.schema[fieldname]
    out = array("q") if _signed_64(field) else []
    for sub, _offset in reader.leaf_readers():
        if sub.has_column(fieldname):
            out.extend(_segment_values(sub.column_reader(fieldname, translate=False), field))
    return out


def _signed_64(field) -> bool:
    return field.numtype is int and field.signed and not field.decimal_places \
        and field.bits == 64


def _segment_values(raw, field):
    translate = field.from_column_value
    if not (isinstance(raw, columns.NumericColumn.Reader) and _signed_64(field)
            and raw._typecode == "Q"):
        return [translate(v) for v in raw]
    count = min(raw._count, raw._doccount)
    data = bytearray(raw._dbfile.get(raw._basepos, 8 * count))  # big-endian, each
    data[0::8] = data[0::8].translate(SIGN_FLIPPED)  # stored + 2**63: the sign bit flipped
    values = array("q", data)
    if sys.byteorder == "little":
        values.byteswap()
    if count < raw._doccount:  # documents after the last stored value: the default
        values.extend([translate(raw._default)] * (raw._doccount - count))
    return values
