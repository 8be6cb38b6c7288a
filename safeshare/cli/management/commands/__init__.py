"""One module per ``safeshare`` subcommand (see safeshare.cli.main)."""
