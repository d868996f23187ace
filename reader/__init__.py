"""newsreader: a terminal reader for Hugo-style markdown news archives."""

__version__ = "0.1.0"
