"""Data files shipped with brugdesk (the Dutch word list for the passphrase estimate)."""
