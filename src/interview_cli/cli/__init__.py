"""The `drill` command line: thin commands that parse options, call domain code and render."""
