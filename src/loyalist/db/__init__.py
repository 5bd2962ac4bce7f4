"""Storage: engines, the base model, the unit of work, the SQLite single writer, encryption."""
