"""Personal data at rest: envelope encryption (a data key per member, wrapped by the master
key), the master key's own AES-GCM for the few secrets that belong to no member, and HMAC
blind indexes under an index key of their own that master-key rotation never changes.

Formats (text, so the columns stay strings):

- a member's wrapped data key, and the wrapped index key: ``<master key id>:<base64(nonce |
  ciphertext)>``, the master key id and the owner (member id, or ``index``) bound as
  associated data;
- a value sealed under a member's data key: ``v2:<base64(nonce | ciphertext)>``, the
  table, the field and the member id bound as associated data (a value copied to another
  row or field does not open);
- a value sealed under a master key (the legacy format of personal data, still read until
  ``loyalist keys rotate`` moves it; secrets of no member such as webhook secrets):
  ``<master key id>:<base64(nonce | ciphertext)>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from loyalist.db.files import make_private_dir, private_opener
from loyalist.errors import IndexKeyMissingError, MasterKeyMissingError

_NONCE_BYTES = 12
_KEY_BYTES = 32
#: Marks a value sealed under a member's data key (a legacy value starts with a key id).
SEALED_PREFIX = "v2:"
#: Marks a link token sealed under the link key (a legacy token starts with a key id).
_LINK_PREFIX = "l2."
#: Unwrapped data keys kept per process: 4,096 AES-GCM contexts take ~10 MiB.
DEFAULT_KEY_CACHE = 4096


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
    make_private_dir(path.parent)
    with open(path, "x", encoding="utf-8", opener=private_opener) as out:
        out.write(new_master_key() + "\n")
    return True


@dataclass(frozen=True, slots=True)
class MasterKey:
    """One master key (``LOYALIST_SECRET_KEY`` or a retired one) and what HKDF derives
    from it: the AEAD of secrets of no member (and of personal data before envelope
    encryption), the key-wrapping AEAD, and the blind-index key indexes were made with
    before the index key was stored."""

    key_id: str
    aead: AESGCM
    wrapping: AESGCM
    legacy_index_key: bytes


@dataclass(frozen=True, slots=True)
class Field:
    """A personal column, or a personal part of a row: ``table`` and ``name`` are bound
    into each value as associated data with the member's id. ``legacy_purpose`` is the
    associated data its values had under the master key (read until ``keys rotate``)."""

    table: str
    name: str
    legacy_purpose: str

    def aad(self, member_id: int) -> bytes:
        return f"{self.table}.{self.name}:{member_id}".encode()


class MemberCipher:
    """One member's data key: seals and opens that member's personal values.

    A member without a data key (none made yet, or destroyed by erasure) has an empty
    cipher: what was sealed under a member key opens to None, and it seals nothing.
    A value that fails authentication (copied from another member's row or another
    field, or altered) also opens to None. Values still in the legacy format open with
    the master key that sealed them.
    """

    __slots__ = ("_aead", "_keyring", "member_id")

    def __init__(self, member_id: int, aead: AESGCM | None, keyring: Keyring) -> None:
        self.member_id = member_id
        self._aead = aead
        self._keyring = keyring

    @property
    def has_key(self) -> bool:
        return self._aead is not None

    @overload
    def seal(self, field: Field, text: str) -> str: ...
    @overload
    def seal(self, field: Field, text: None) -> None: ...
    @overload
    def seal(self, field: Field, text: str | None) -> str | None: ...

    def seal(self, field: Field, text: str | None) -> str | None:
        """``text`` sealed for ``field`` of this member (None stays None).

        Raises:
            LookupError: the member has no data key (make one with ``create=True``).
        """
        if text is None:
            return None
        if self._aead is None:
            raise LookupError(f"member {self.member_id} has no data key")
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode(), field.aad(self.member_id))
        return SEALED_PREFIX + base64.b64encode(nonce + sealed).decode()

    def open(self, field: Field, stored: str | None) -> str | None:
        """The plaintext of a stored value of ``field``, or None when there is none or it
        cannot be opened (erased, or not this member's and field's).

        Raises:
            MasterKeyMissingError: a legacy value's master key is not in the keyring.
        """
        if stored is None:
            return None
        if not stored.startswith(SEALED_PREFIX):
            return self._keyring.decrypt(stored, field.legacy_purpose)
        if self._aead is None:
            return None
        try:
            raw = base64.b64decode(stored[len(SEALED_PREFIX) :], validate=True)
            opened = self._aead.decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], field.aad(self.member_id)
            )
        except (InvalidTag, binascii.Error, ValueError):
            return None
        return opened.decode()


def is_sealed(stored: str | None) -> bool:
    """Whether a stored personal value is in the member-key format (None counts: nothing
    to move)."""
    return stored is None or stored.startswith(SEALED_PREFIX)


class _Lru:
    """A bounded, thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[int, str], MemberCipher] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str]) -> MemberCipher | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def forget(self, member_ids: Iterable[int]) -> None:
        gone = set(member_ids)
        with self._lock:
            for key in [k for k in self._items if k[0] in gone]:
                del self._items[key]

    def put(self, key: tuple[int, str], value: MemberCipher) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


#: Where a keyring reads its wrapped index key (bound to the database by bootstrap).
IndexKeySource = Callable[[], str | None]


class Keyring:
    """The master keys: the active one wraps new keys and seals new secrets; every known
    one (the active and the retired) unwraps and opens what it made. Rotation
    (``loyalist keys rotate``) rewraps and reseals under the active key, after which the
    retired keys may go.

    The blind-index key is random-looking data stored wrapped in the database (the
    ``index`` row of ``crypto_keys``): rotating the master key rewraps it, so index values
    never change. A keyring with no database bound derives it from the active master key
    (as every index was made before it was stored).
    """

    def __init__(
        self,
        active: MasterKey,
        keys: dict[str, MasterKey],
        *,
        cache_size: int = DEFAULT_KEY_CACHE,
    ) -> None:
        self.active = active
        self.keys = keys
        self._ciphers = _Lru(cache_size)
        self._index_source: IndexKeySource | None = None
        self._index_key: bytes | None = None
        self._link_aead: AESGCM | None = None
        self._index_lock = threading.Lock()

    @classmethod
    def from_secrets(
        cls, active: str, *retired: str, cache_size: int = DEFAULT_KEY_CACHE
    ) -> Keyring:
        made = [cls._make(decode_master_key(text)) for text in (active, *retired)]
        return cls(made[0], {key.key_id: key for key in made}, cache_size=cache_size)

    @staticmethod
    def _make(master: bytes) -> MasterKey:
        key_id = hashlib.sha256(b"loyalist key id" + master).hexdigest()[:8]
        return MasterKey(
            key_id=key_id,
            aead=AESGCM(_derive(master, b"loyalist personal data v1")),
            wrapping=AESGCM(_derive(master, b"loyalist key wrapping v1")),
            legacy_index_key=_derive(master, b"loyalist blind index v1"),
        )

    def _master(self, key_id: str) -> MasterKey:
        key = self.keys.get(key_id)
        if key is None:
            raise MasterKeyMissingError(
                f"no master key with id {key_id!r}: keep it in LOYALIST_RETIRED_KEYS until "
                "`loyalist keys rotate` has run"
            )
        return key

    # -- secrets of no member, and legacy personal data -----------------------------------
    def encrypt(self, plaintext: str, purpose: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self.active.aead.encrypt(nonce, plaintext.encode(), purpose.encode())
        return f"{self.active.key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str, purpose: str) -> str:
        """Raises:
        MasterKeyMissingError: no key with the value's key id.
        InvalidTag: the value was altered or belongs to another purpose.
        """
        key_id, _, body = stored.partition(":")
        raw = base64.b64decode(body)
        opened = self._master(key_id).aead.decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], purpose.encode()
        )
        return opened.decode()

    def is_current(self, stored: str) -> bool:
        """Whether a wrapped key or a master-key secret is under the active master key."""
        return stored.startswith(self.active.key_id + ":")

    # -- wrapping ---------------------------------------------------------------------------
    def _wrap(self, secret: bytes, owner: bytes, nonce: bytes | None = None) -> str:
        key = self.active
        nonce = nonce or os.urandom(_NONCE_BYTES)
        aad = b"loyalist wrapped key\0" + key.key_id.encode() + b"\0" + owner
        sealed = key.wrapping.encrypt(nonce, secret, aad)
        return f"{key.key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def _unwrap(self, wrapped: str, owner: bytes) -> bytes:
        """Raises:
        MasterKeyMissingError: the wrapping master key is not in the keyring.
        InvalidTag: altered, or wrapped for another owner.
        """
        key_id, _, body = wrapped.partition(":")
        key = self._master(key_id)
        raw = base64.b64decode(body)
        aad = b"loyalist wrapped key\0" + key_id.encode() + b"\0" + owner
        return key.wrapping.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], aad)

    def _rewrap(self, wrapped: str, owner: bytes) -> str:
        return self._wrap(self._unwrap(wrapped, owner), owner)

    # -- members' data keys -----------------------------------------------------------------
    @staticmethod
    def member_owner(member_id: int) -> bytes:
        return b"member:%d" % member_id

    def rewrap_data_key(self, member_id: int, wrapped: str) -> str:
        """The member's data key (unchanged) wrapped under the active master key.

        Raises:
            MasterKeyMissingError: the wrapping master key is not in the keyring.
            InvalidTag: altered, or wrapped for another member.
        """
        return self._rewrap(wrapped, self.member_owner(member_id))

    def new_data_keys(self, member_ids: Iterable[int]) -> dict[int, tuple[str, MemberCipher]]:
        """A fresh random 256-bit data key per member: ``(wrapped, cipher)`` (random bytes
        for all of them drawn at once)."""
        ids = list(member_ids)
        step = _KEY_BYTES + _NONCE_BYTES
        pool = os.urandom(step * len(ids))
        made: dict[int, tuple[str, MemberCipher]] = {}
        for i, member_id in enumerate(ids):
            key = pool[i * step : i * step + _KEY_BYTES]
            nonce = pool[i * step + _KEY_BYTES : (i + 1) * step]
            wrapped = self._wrap(key, self.member_owner(member_id), nonce)
            cipher = MemberCipher(member_id, AESGCM(key), self)
            self._ciphers.put((member_id, wrapped), cipher)
            made[member_id] = (wrapped, cipher)
        return made

    def cipher(self, member_id: int, wrapped: str | None) -> MemberCipher:
        """The member's cipher from its stored wrapped key (None: an empty cipher),
        unwrapped once per process while it stays in the bounded cache. A wrapped key that
        does not open for this member (copied from another row, altered) gives an empty
        cipher.

        Raises:
            MasterKeyMissingError: the wrapping master key is not in the keyring.
        """
        if wrapped is None:
            return MemberCipher(member_id, None, self)
        found = self._ciphers.get((member_id, wrapped))
        if found is not None:
            return found
        try:
            key = self._unwrap(wrapped, self.member_owner(member_id))
        except (InvalidTag, binascii.Error, ValueError):
            return MemberCipher(member_id, None, self)
        cipher = MemberCipher(member_id, AESGCM(key), self)
        self._ciphers.put((member_id, wrapped), cipher)
        return cipher

    def forget(self, member_ids: Iterable[int]) -> None:
        """Drop these members' unwrapped keys from this process's cache (their keys were
        destroyed)."""
        self._ciphers.forget(member_ids)

    # -- the index key ----------------------------------------------------------------------
    def bind_index_key(self, source: IndexKeySource) -> None:
        """Read the wrapped index key through ``source`` (on first use)."""
        with self._index_lock:
            self._index_source = source
            self._index_key = None
            self._link_aead = None

    def wrap_index_key(self, key: bytes) -> str:
        return self._wrap(key, b"index")

    def unwrap_index_key(self, wrapped: str) -> bytes:
        return self._unwrap(wrapped, b"index")

    def rewrap_index_key(self, wrapped: str) -> str:
        """The index key (unchanged) wrapped under the active master key.

        Raises:
            MasterKeyMissingError: the wrapping master key is not in the keyring.
            InvalidTag: altered.
        """
        return self._rewrap(wrapped, b"index")

    def adopted_index_key(self) -> bytes:
        """The index key every blind index was made with before it was stored: derived
        from the active master key (what ``loyalist migrate`` stores, wrapped)."""
        return self.active.legacy_index_key

    def _index(self) -> bytes:
        found = self._index_key
        if found is not None:
            return found
        with self._index_lock:
            if self._index_key is None:
                if self._index_source is None:
                    self._index_key = self.adopted_index_key()
                else:
                    wrapped = self._index_source()
                    if wrapped is None:
                        raise IndexKeyMissingError(
                            "the database holds no blind-index key: run `loyalist init` "
                            "(it migrates the database and stores one)"
                        )
                    self._index_key = self.unwrap_index_key(wrapped)
            return self._index_key

    def check(self) -> None:
        """Read the index key now, so a key that is missing or wrapped by a master key not
        kept fails when a command starts rather than on its first look-up.

        Raises:
            IndexKeyMissingError: the database holds none.
            MasterKeyMissingError: it is wrapped by a master key not in the keyring.
        """
        self._index()

    def blind_index(self, normalized: str, purpose: str) -> str:
        # One call into OpenSSL: cheaper than ``hmac.new(...).hexdigest()``, same value.
        return hmac.digest(self._index(), f"{purpose}\0{normalized}".encode(), "sha256")[:16].hex()

    # -- link tokens ------------------------------------------------------------------------
    def _links(self) -> AESGCM:
        if self._link_aead is None:
            self._link_aead = AESGCM(_derive(self._index(), b"loyalist link tokens v1"))
        return self._link_aead

    def seal_link(self, text: str, purpose: str) -> str:
        """``text`` sealed as a URL-safe token under the link key (derived from the index
        key, so links in messages already sent survive master-key rotation)."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._links().encrypt(nonce, text.encode(), purpose.encode())
        return _LINK_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def open_link(self, token: str, purpose: str) -> str | None:
        """The text of a link token, or None when it is not one of ours for ``purpose``
        (tokens made before the link key, ``<key id>.<base64url>``, open while their master
        key is kept)."""
        try:
            if token.startswith(_LINK_PREFIX):
                body = token[len(_LINK_PREFIX) :]
                raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
                aead = self._links()
            else:
                key_id, _, body = token.partition(".")
                raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
                aead = self._master(key_id).aead
            opened = aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], purpose.encode())
        except (MasterKeyMissingError, InvalidTag, binascii.Error, ValueError):
            return None
        return opened.decode()


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
    """A secret of no member (a webhook endpoint's signing secrets) sealed under the active
    master key as ``key_id:base64(nonce|ciphertext)``; ``purpose`` is the AAD."""

    impl = String
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else active_keyring().encrypt(value, self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else active_keyring().decrypt(value, self.purpose)


class SealedString(TypeDecorator[str]):
    """A member's personal column: values are written sealed under the member's data key
    (``MemberCipher.seal``) and read back sealed (open them with the row's member's cipher).
    Plaintext is refused, so a value can never be stored unsealed by mistake."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is not None and not value.startswith(SEALED_PREFIX):
            raise ValueError("a personal column takes only values sealed under a member's key")
        return value
