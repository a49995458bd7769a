"""Test helper: the plaintext of every page of a SQLCipher file, free pages included.

``sqlcipher_export`` copies only live rows, so it cannot show what lingers in
free pages or in the unused space of a page. This decrypts the raw file page
by page with the raw key, as an attacker holding the key would (SQLCipher 4
defaults: 4096-byte pages, AES-256-CBC, each page ending in a 16-byte IV and
a 64-byte HMAC; the first 16 bytes of page 1 are the salt).
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80  # IV (16) + HMAC-SHA512 (64)
WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    start = 16 if first else 0
    iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    plain = decryptor.update(page[start : PAGE_SIZE - RESERVE]) + decryptor.finalize()
    return (b"SQLite format 3\x00" if first else b"") + plain


def database_plaintext(path: Path, key_hex: str) -> bytes:
    """Every page of *path* decrypted, concatenated (the reserve bytes left out)."""
    data = path.read_bytes()
    assert data and len(data) % PAGE_SIZE == 0
    key = bytes.fromhex(key_hex)
    pages = [
        decrypt_page(data[i : i + PAGE_SIZE], key, first=i == 0)
        for i in range(0, len(data), PAGE_SIZE)
    ]
    # Proof that the decryption is right: page 1 is a SQLite header with our page size.
    assert int.from_bytes(pages[0][16:18], "big") == PAGE_SIZE and pages[0][20] == RESERVE
    return b"".join(pages)


def wal_plaintext(path: Path, key_hex: str) -> bytes:
    """Every frame's page in a -wal file decrypted (empty if the file is absent or empty)."""
    if not path.exists():
        return b""
    data = path.read_bytes()
    key = bytes.fromhex(key_hex)
    out = []
    offset = WAL_HEADER
    while offset + FRAME_HEADER + PAGE_SIZE <= len(data):
        page_no = int.from_bytes(data[offset : offset + 4], "big")
        page = data[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE_SIZE]
        out.append(decrypt_page(page, key, first=page_no == 1))
        offset += FRAME_HEADER + PAGE_SIZE
    return b"".join(out)


def all_plaintext(data_dir: Path, key_hex: str, db_name: str = "caseload.db") -> bytes:
    """The database, its -wal and its -shm, as plaintext (the -shm holds no page data)."""
    db = data_dir / db_name
    shm = data_dir / f"{db_name}-shm"
    return (
        database_plaintext(db, key_hex)
        + wal_plaintext(data_dir / f"{db_name}-wal", key_hex)
        + (shm.read_bytes() if shm.exists() else b"")
    )
