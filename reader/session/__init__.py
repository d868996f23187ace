"""The reader's session: what it does that is not drawing.

The catalog of articles the reader shows, the search service, the groups of
the tree and the marks' bookkeeping live here, under the UI and above the
archive, index and state packages.  Nothing here imports Textual (an
import-linter contract says so), so all of it runs and is tested headless.
"""
