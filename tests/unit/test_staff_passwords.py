"""The staff password policy (length in characters after NFKC, common passwords refused,
no composition rules) and argon2id hashing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.staff.errors import (
    PasswordTooCommonError,
    PasswordTooLongError,
    PasswordTooShortError,
)
from loyalist.staff.passwords import MAX_LENGTH, Hasher, check_password, normalize

#: Cheap parameters: these tests are about the policy and the format, not the cost.
FAST = Hasher(time_cost=1, memory_kib=8192, parallelism=1)


class TestPolicy:
    @pytest.mark.parametrize(
        "password",
        [
            "qwkdmzpa",  # eight random letters: no digit, capital or symbol needed
            "correct horse battery staple",  # spaces
            "ежик в тумане идёт домой",  # Cyrillic
            "梅の花が咲きました今日",  # CJK
            "the quick brown fox jumps over the lazy dog while 7 cats watch it",  # 64
            "k" + "fj3la9" * 21,  # 127 characters
        ],
    )
    def test_admits_any_script_spaces_and_long_passphrases(self, password: str) -> None:
        assert check_password(password) == normalize(password)

    @pytest.mark.parametrize("password", ["", "a", "short1!", "ab cd e"])
    def test_refuses_fewer_than_eight_characters(self, password: str) -> None:
        with pytest.raises(PasswordTooShortError) as refused:
            check_password(password)
        assert [e.pointer for e in refused.value.errors] == ["/password"]

    def test_counts_characters_not_bytes(self) -> None:
        assert check_password("ёжикёжик ёжик") == "ёжикёжик ёжик"
        with pytest.raises(PasswordTooShortError):
            check_password("ёжикёж")  # 12 bytes, 6 characters

    def test_refuses_more_than_128_characters(self) -> None:
        check_password("q" + "zx9vb" * 25 + "mn")  # 128
        with pytest.raises(PasswordTooLongError):
            check_password("q" + "zx9vb" * 25 + "mnp")

    @pytest.mark.parametrize(
        "password", ["password", "password123", "qwerty123", "P@ssw0rd!", "iloveyou1", "12345678"]
    )
    def test_refuses_common_passwords_and_their_easy_variants(self, password: str) -> None:
        with pytest.raises(PasswordTooCommonError):
            check_password(password)

    def test_refuses_the_users_own_name_or_email_as_password(self) -> None:
        check_password("kuzminykh1985")
        with pytest.raises(PasswordTooCommonError):
            check_password("kuzminykh1985", user_inputs=["anna.kuzminykh@shop.example", "Anna"])

    def test_normalises_compatibility_characters(self) -> None:
        # Full-width letters and digits typed on another keyboard are the same password.
        assert normalize("ｐａｓｓ１２３４") == "pass1234"
        assert len("x" * MAX_LENGTH) == MAX_LENGTH


class TestHashing:
    def test_stores_argon2id_hashes_that_verify_only_the_password(self) -> None:
        stored = FAST.hash(check_password("correct horse battery staple"))
        assert stored.startswith("$argon2id$")
        assert FAST.verify(stored, "correct horse battery staple")
        assert not FAST.verify(stored, "correct horse battery stapl")
        assert not FAST.verify("not a hash", "correct horse battery staple")

    def test_verifies_a_password_typed_in_another_unicode_form(self) -> None:
        stored = FAST.hash(check_password("café au lait 42"))
        assert FAST.verify(stored, "cafe\u0301 au lait 42")  # e + combining acute

    def test_unknown_account_never_verifies(self) -> None:
        assert not FAST.verify(None, "anything at all")

    def test_asks_for_a_rehash_when_the_parameters_change(self) -> None:
        stored = FAST.hash("correct horse battery staple")
        stronger = Hasher(time_cost=2, memory_kib=8192, parallelism=1)
        assert not FAST.needs_rehash(stored)
        assert stronger.needs_rehash(stored)
        assert stronger.verify(stored, "correct horse battery staple")

    @settings(max_examples=15, deadline=None)
    @given(st.text(min_size=1, max_size=40))
    def test_any_text_hashes_and_verifies_as_itself(self, password: str) -> None:
        stored = FAST.hash(normalize(password))
        assert FAST.verify(stored, password)
