"""Envelope encryption without a database: member keys, sealed values and what they are
bound to, wrapping under the master keys and rotation, the index key, link tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.db.crypto import SEALED_PREFIX, Field, Keyring, MemberCipher, new_master_key
from loyalist.errors import IndexKeyMissingError, MasterKeyMissingError

OLD_KEY = new_master_key()
NEW_KEY = new_master_key()
EMAIL = Field("members", "email", "member.email")
PHONE = Field("members", "phone", "member.phone")
SUBJECT = Field("messages", "subject", "message.subject")
FIELDS = st.sampled_from([EMAIL, PHONE, SUBJECT])
MEMBER_IDS = st.integers(min_value=1, max_value=2**62)


def cipher_for(keyring: Keyring, member_id: int) -> tuple[str, MemberCipher]:
    return keyring.new_data_keys([member_id])[member_id]


class TestSealedValues:
    @settings(max_examples=200)
    @given(st.text(max_size=300), MEMBER_IDS, FIELDS)
    def test_opens_what_it_sealed(self, text: str, member_id: int, field: Field) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        _, cipher = cipher_for(keyring, member_id)
        sealed = cipher.seal(field, text)
        assert sealed.startswith(SEALED_PREFIX)
        assert cipher.open(field, sealed) == text

    @settings(max_examples=100)
    @given(st.text(min_size=1, max_size=100), MEMBER_IDS, FIELDS, FIELDS)
    def test_a_value_copied_to_another_field_does_not_open(
        self, text: str, member_id: int, field: Field, other: Field
    ) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        _, cipher = cipher_for(keyring, member_id)
        sealed = cipher.seal(field, text)
        assert cipher.open(other, sealed) == (text if other == field else None)

    def test_a_value_copied_to_another_members_row_does_not_open_even_under_the_same_key(
        self,
    ) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        wrapped, cipher = cipher_for(keyring, 7)
        sealed = cipher.seal(EMAIL, "zoe@example.org")
        assert cipher_for(keyring, 8)[1].open(EMAIL, sealed) is None
        # Even a row given member 7's wrapped key: unwrapping is bound to the member.
        assert keyring.cipher(8, wrapped).open(EMAIL, sealed) is None
        assert not keyring.cipher(8, wrapped).has_key

    def test_an_altered_value_opens_to_none(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        _, cipher = cipher_for(keyring, 1)
        raw = bytearray(base64.b64decode(cipher.seal(EMAIL, "x")[len(SEALED_PREFIX) :]))
        raw[-1] ^= 1
        assert cipher.open(EMAIL, SEALED_PREFIX + base64.b64encode(raw).decode()) is None
        assert cipher.open(EMAIL, SEALED_PREFIX + "not base64!") is None

    def test_without_a_key_nothing_opens_and_nothing_is_sealed(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        _, cipher = cipher_for(keyring, 1)
        sealed = cipher.seal(EMAIL, "x")
        erased = keyring.cipher(1, None)
        assert erased.open(EMAIL, sealed) is None
        assert erased.open(EMAIL, None) is None
        with pytest.raises(LookupError):
            erased.seal(EMAIL, "x")

    def test_a_value_sealed_by_the_master_key_before_member_keys_still_opens(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        legacy = keyring.encrypt("zoe@example.org", "member.email")
        assert keyring.cipher(1, None).open(EMAIL, legacy) == "zoe@example.org"


class TestWrapping:
    def test_keys_made_together_are_distinct_and_unwrap_to_the_same_key(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        made = keyring.new_data_keys(range(1, 51))
        assert len({wrapped for wrapped, _ in made.values()}) == 50
        fresh = Keyring.from_secrets(OLD_KEY)  # another process: nothing cached
        for member_id, (wrapped, cipher) in made.items():
            sealed = cipher.seal(EMAIL, f"m{member_id}@example.org")
            assert fresh.cipher(member_id, wrapped).open(EMAIL, sealed) == (
                f"m{member_id}@example.org"
            )

    @settings(max_examples=30)
    @given(st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=5))
    def test_rewrapping_through_any_chain_of_rotations_keeps_the_same_key(
        self, chain: list[int]
    ) -> None:
        masters = [new_master_key() for _ in range(3)]
        keyring = Keyring.from_secrets(masters[0])
        wrapped, cipher = cipher_for(keyring, 42)
        sealed = cipher.seal(PHONE, "+7 912 345-67-89")
        current = 0
        for step in chain:
            rotated = Keyring.from_secrets(masters[step], masters[current])
            wrapped = rotated.rewrap_data_key(42, wrapped)
            assert rotated.is_current(wrapped)
            current = step
        alone = Keyring.from_secrets(masters[current])
        assert alone.cipher(42, wrapped).open(PHONE, sealed) == "+7 912 345-67-89"

    def test_a_key_under_a_master_key_no_longer_kept_is_a_lookup_error(self) -> None:
        wrapped, _ = cipher_for(Keyring.from_secrets(OLD_KEY), 3)
        with pytest.raises(MasterKeyMissingError, match="LOYALIST_RETIRED_KEYS"):
            Keyring.from_secrets(NEW_KEY).cipher(3, wrapped)

    def test_the_cache_is_bounded_and_forgets_destroyed_keys(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY, cache_size=2)
        made = keyring.new_data_keys([1, 2, 3])
        assert [keyring.cipher(m, made[m][0]) is made[m][1] for m in (3, 2, 1)] == [
            True,
            True,
            False,  # the least recently used, evicted: unwrapped again
        ]
        keyring.forget([3])
        assert keyring.cipher(3, made[3][0]) is not made[3][1]


class TestIndexKey:
    def test_without_a_database_it_is_the_key_indexes_were_always_made_with(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        master = keyring.active
        expected = hmac.new(master.legacy_index_key, b"email\0zoe@example.org", hashlib.sha256)
        assert keyring.blind_index("zoe@example.org", "email") == expected.hexdigest()[:32]

    def test_index_values_survive_rotation_and_the_old_key_going(self) -> None:
        before = Keyring.from_secrets(OLD_KEY)
        stored = before.wrap_index_key(before.adopted_index_key())
        before.bind_index_key(lambda: stored)
        index = before.blind_index("zoe@example.org", "email")

        rotating = Keyring.from_secrets(NEW_KEY, OLD_KEY)
        rotating.bind_index_key(lambda: stored)
        assert rotating.blind_index("zoe@example.org", "email") == index
        rewrapped = rotating.rewrap_index_key(stored)

        after = Keyring.from_secrets(NEW_KEY)
        after.bind_index_key(lambda: rewrapped)
        assert after.blind_index("zoe@example.org", "email") == index

    def test_a_database_without_the_index_key_is_a_clear_error(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        keyring.bind_index_key(lambda: None)
        with pytest.raises(IndexKeyMissingError, match="loyalist init"):
            keyring.blind_index("x", "email")


class TestLinkTokens:
    def test_a_token_opens_for_its_purpose_only(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        token = keyring.seal_link("17:msg_1", "message.unsubscribe")
        assert re.fullmatch(r"[A-Za-z0-9_.-]+", token)  # fits a URL path as it is
        assert keyring.open_link(token, "message.unsubscribe") == "17:msg_1"
        assert keyring.open_link(token, "message.preferences") is None
        assert keyring.open_link(token[:-2], "message.unsubscribe") is None
        assert keyring.open_link("garbage", "message.unsubscribe") is None

    def test_links_survive_master_key_rotation(self) -> None:
        before = Keyring.from_secrets(OLD_KEY)
        stored = before.wrap_index_key(before.adopted_index_key())
        before.bind_index_key(lambda: stored)
        token = before.seal_link("17", "message.preferences")
        after = Keyring.from_secrets(NEW_KEY, OLD_KEY)
        rewrapped = after.rewrap_index_key(stored)
        alone = Keyring.from_secrets(NEW_KEY)
        alone.bind_index_key(lambda: rewrapped)
        assert alone.open_link(token, "message.preferences") == "17"

    def test_a_token_made_before_link_keys_opens_while_its_master_key_is_kept(self) -> None:
        keyring = Keyring.from_secrets(OLD_KEY)
        sealed = keyring.encrypt("17", "message.preferences")
        key_id, _, body = sealed.partition(":")
        legacy = f"{key_id}.{body.translate(str.maketrans('+/', '-_')).rstrip('=')}"
        assert Keyring.from_secrets(NEW_KEY, OLD_KEY).open_link(legacy, "message.preferences") == (
            "17"
        )
        assert Keyring.from_secrets(NEW_KEY).open_link(legacy, "message.preferences") is None
