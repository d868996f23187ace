"""Stories: copies of one report (across sources, scripts and light edits) found and
grouped as articles come and go.  No Textual here: the session layer's `Stories`
(reader/session/stories.py) is what the reader and the commands use.

- signature.py: what is kept of an article (digest, folded title, MinHash, lead words)
- bands.py: LSH banding, the candidates of an article in constant time
- grouping.py: when two articles are one story, and the stories kept by changes
- store.py: signatures on disk, so that a warm start computes none
- compute.py: signatures of archive articles (a scan's bodies, or the files)
- signing.py: a big change's signatures made in worker processes, beside the loop
"""
