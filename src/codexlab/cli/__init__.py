"""The `codexlab` command line: thin sub-commands that parse, call the library and print."""
