"""Masking members' personal data and codes for staff without the permissions to see them:
pure functions, checked on examples and on generated values (Unicode names included)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.members.policy import (
    mask_birthday,
    mask_code,
    mask_email,
    mask_last_name,
    mask_phone,
    mask_text,
)


class TestExamples:
    @pytest.mark.parametrize(
        ("email", "masked"),
        [
            ("andrey.fedorov@example.ru", "a***@e***.ru"),
            ("Zoe@mail.example.co.uk", "Z***@m***.uk"),
            ("иван@почта.рф", "и***@п***.рф"),
            ("x@y.io", "x***@y***.io"),
        ],
    )
    def test_email_keeps_first_letters_and_the_top_level_domain(
        self, email: str, masked: str
    ) -> None:
        assert mask_email(email) == masked

    @pytest.mark.parametrize(
        ("phone", "masked"),
        [
            ("+7 (912) 345-67-12", "+7********12"),
            ("+79123456712", "+7********12"),
            ("+44 20 7946 0321", "+44********21"),
            ("+1 415 555 2671", "+1********71"),
            ("8 912 345 67 12", "*********12"),
            ("1234", "****"),
        ],
    )
    def test_phone_keeps_the_country_code_and_last_two_digits(
        self, phone: str, masked: str
    ) -> None:
        assert mask_phone(phone) == masked

    def test_name_keeps_the_initial_of_the_last_name(self) -> None:
        assert mask_last_name("Фёдоров") == "Ф."
        assert mask_last_name("  O'Neill ") == "O."

    def test_birthday_keeps_the_month_only(self) -> None:
        assert mask_birthday(date(1990, 5, 17)) == "--05"
        assert mask_birthday("1984-12-01") == "--12"

    @pytest.mark.parametrize(
        ("code", "masked"),
        [("SPRING-2024-XYZ", "SP***********YZ"), ("ABC123", "A*****"), ("A", "A*")],
    )
    def test_code_keeps_a_short_prefix_and_suffix(self, code: str, masked: str) -> None:
        assert mask_code(code) == masked

    def test_text_hides_each_secret_whatever_its_case(self) -> None:
        text = "Dear Zoe Quartermaine, we wrote to ZOE@EXAMPLE.ORG and +79123456789."
        masked = mask_text(text, ["Quartermaine", "zoe@example.org", "+79123456789", ""])
        assert masked == ("Dear Zoe ************, we wrote to *************** and ************.")


#: What a stored address may hold before its @-sign (no spaces: the address is validated).
_LOCAL = st.text(
    st.characters(categories=("L", "N", "P", "S"), exclude_characters="@"),
    min_size=1,
    max_size=30,
)
_LABEL = st.from_regex(r"[a-zа-я0-9]{1,20}", fullmatch=True)
_NAMES = st.text(st.characters(categories=("L", "M")), min_size=2, max_size=40)


class TestProperties:
    @given(_LOCAL, st.lists(_LABEL, min_size=2, max_size=4))
    def test_email_never_shows_more_than_two_letters_and_the_tld(
        self, local: str, labels: list[str]
    ) -> None:
        email = f"{local}@{'.'.join(labels)}"
        masked = mask_email(email)
        assert masked != email
        head, _, tail = masked.partition("@")
        assert head.endswith("***")
        assert local.startswith(head[:-3])
        assert re.fullmatch(r".+\*\*\*\.[^.]+", tail)
        assert tail.endswith("." + labels[-1])

    @given(st.from_regex(r"\+?[0-9]{5,15}", fullmatch=True))
    def test_phone_hides_every_digit_but_the_country_code_and_last_two(self, phone: str) -> None:
        masked = mask_phone(phone)
        assert masked != phone
        assert len(masked) == len(phone)
        visible = re.sub(r"[^0-9]", "", masked)
        assert masked.endswith(phone[-2:])
        assert len(visible) <= 2 + 3
        assert phone.startswith("+") or len(visible) == 2

    @given(_NAMES)
    def test_last_name_is_its_initial(self, name: str) -> None:
        masked = mask_last_name(name)
        assert masked.endswith(".")
        assert name.strip().startswith(masked[:-1])
        assert all(unicodedata.combining(c) for c in masked[1:-1])
        if len(name.strip()) > len(masked) - 1:
            assert masked != name

    @given(st.dates())
    def test_birthday_is_the_month_alone(self, born: date) -> None:
        assert mask_birthday(born) == f"--{born.month:02d}"
        assert mask_birthday(born.isoformat()) == mask_birthday(born)

    @given(st.text(st.characters(exclude_characters="*"), min_size=1, max_size=48))
    def test_code_is_never_shown_whole_and_keeps_its_length(self, code: str) -> None:
        masked = mask_code(code)
        assert masked != code
        assert len(masked) == max(len(code), 2)
        assert masked.startswith(code[0])

    @given(st.text(max_size=200), st.lists(st.text(min_size=2, max_size=20), max_size=4))
    def test_text_keeps_no_secret(self, text: str, secrets: list[str]) -> None:
        masked = mask_text(text, secrets)
        assert len(masked) == len(text)
        for secret in secrets:
            if len(secret.strip()) >= 2 and secret.lower() == secret.upper():
                assert secret not in masked
