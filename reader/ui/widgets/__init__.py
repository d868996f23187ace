"""Widgets of the reader: group tree, article list, article pane, status bar."""
