"""The first content: the Harvard Medical School article, as data plus one idempotent loader."""
