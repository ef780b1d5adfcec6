"""One module per CLI command, each with a run(args) -> exit status."""
