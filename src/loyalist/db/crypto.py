"""Personal data at rest: AES-GCM with a key id beside each ciphertext, and HMAC blind indexes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_NONCE_BYTES = 12


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


def decode_master_key(text: str) -> bytes:
    """A master key is 32+ random bytes in URL-safe base64; a passphrase is stretched by HKDF."""
    text = text.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raw = b""
    if len(raw) >= 32:
        return raw
    if len(text) < 16:
        raise ValueError("secret key is too short: use `loyalist init` to create one")
    return _derive(text.encode(), b"loyalist passphrase")


def new_master_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def write_key_file(path: Path) -> bool:
    """Create the key file with mode 0600 unless it exists; True when a key was created."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(new_master_key() + "\n")
    return True


@dataclass(frozen=True)
class DataKey:
    key_id: str
    aead: AESGCM
    index_key: bytes


@dataclass
class Keyring:
    """The active key encrypts; every known key decrypts (rotation keeps old ciphertexts readable).

    The blind index always uses the active key, so rotating the index key means re-indexing.
    """

    active: DataKey
    keys: dict[str, DataKey] = field(default_factory=dict)

    @classmethod
    def from_secrets(cls, active: str, *retired: str) -> Keyring:
        made = [cls._make(decode_master_key(text)) for text in (active, *retired)]
        return cls(active=made[0], keys={key.key_id: key for key in made})

    @staticmethod
    def _make(master: bytes) -> DataKey:
        key_id = hashlib.sha256(b"loyalist key id" + master).hexdigest()[:8]
        return DataKey(
            key_id=key_id,
            aead=AESGCM(_derive(master, b"loyalist personal data v1")),
            index_key=_derive(master, b"loyalist blind index v1"),
        )

    def encrypt(self, plaintext: str, purpose: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self.active.aead.encrypt(nonce, plaintext.encode(), purpose.encode())
        return f"{self.active.key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str, purpose: str) -> str:
        key_id, _, body = stored.partition(":")
        key = self.keys.get(key_id)
        if key is None:
            raise LookupError(f"no key with id {key_id!r} to decrypt personal data")
        raw = base64.b64decode(body)
        return key.aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], purpose.encode()).decode()

    def blind_index(self, normalized: str, purpose: str) -> str:
        mac = hmac.new(self.active.index_key, f"{purpose}\0{normalized}".encode(), hashlib.sha256)
        return mac.hexdigest()[:32]


_keyring: Keyring | None = None


def use_keyring(keyring: Keyring) -> None:
    """Bind the process's keyring; the composition root calls this once at start."""
    global _keyring
    _keyring = keyring


def active_keyring() -> Keyring:
    if _keyring is None:
        raise RuntimeError("no keyring configured: bootstrap has not run")
    return _keyring


class EncryptedString(TypeDecorator[str]):
    """A text column stored as ``key_id:base64(nonce|ciphertext)``; ``purpose`` is the AAD."""

    impl = String
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else active_keyring().encrypt(value, self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else active_keyring().decrypt(value, self.purpose)
