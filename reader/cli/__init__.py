"""The `newsreader` command and its subcommands."""
