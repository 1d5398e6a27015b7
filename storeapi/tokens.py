"""Random tokens for credentials. Base58 avoids look-alike characters, as Rails' secure tokens."""

import secrets

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58_token(length: int) -> str:
    """`length` base58 characters: about 5.86 bits each (24 -> 140 bits, 32 -> 187 bits)."""
    return "".join(secrets.choice(BASE58_ALPHABET) for _ in range(length))
