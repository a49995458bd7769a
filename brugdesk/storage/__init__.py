"""Storage: the SQLCipher vault, its key header, models and migrations. No Qt here."""
