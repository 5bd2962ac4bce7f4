"""``loyalist campaigns launch`` and ``estimate``."""
