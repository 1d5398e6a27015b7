"""Random tokens for credentials. Base58 avoids look-alike characters, as Rails' secure tokens."""

import secrets

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58_token(length: int) -> str:
    """`length` base58 characters: about 5.86 bits each (24 -> 140 bits, 32 -> 187 bits)."""
    return "".join(secrets.choice(BASE58_ALPHABET) for _ in range(length))


def base58_of(data: bytes, length: int) -> str:
    """The first `length` base58 digits (least significant first) of `data` read as a number:
    a token derived from a MAC or a hash, in the same alphabet as the random ones."""
    number = int.from_bytes(data, "big")
    characters = []
    for _ in range(length):
        number, index = divmod(number, len(BASE58_ALPHABET))
        characters.append(BASE58_ALPHABET[index])
    return "".join(characters)
