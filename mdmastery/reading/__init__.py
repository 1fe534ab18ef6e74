"""The disk, read only: the vault's note files, front matter, YAML 1.2, the body parsers, Note."""
