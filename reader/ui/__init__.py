"""The Textual reader: the only part of newsreader that imports Textual."""
