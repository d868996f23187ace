"""Screens of the reader: the three-pane main screen and the help screen."""
