"""Where indexes written before reader/index/whoosh_patches pickled their codec.

Each Whoosh segment pickles its codec by module path and class name; the
codec now lives in whoosh_patches/codec.py, and this module keeps those
older indexes readable.  Nothing else should import it.
"""

from reader.index.whoosh_patches.codec import (ArticleCodec, ArticleFieldWriter,  # noqa: F401
                                               InliningPostingsWriter)
