"""The e-mail syntax check on the ingest path: what it accepts, refuses and how it normalises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from loyalist.members.policy import normalize_email
from loyalist.members.schemas import MemberProfile, email_address

_LONG_DOMAIN = ".".join(["b" * 61] * 3) + ".com"  # 189 characters

ACCEPTED = {
    "ann@example.com": "ann@example.com",
    "Ann.Lee@Example.COM": "Ann.Lee@example.com",
    "ann+loyalty@shop.example.org": "ann+loyalty@shop.example.org",
    "o'brien@example.ie": "o'brien@example.ie",
    "a/b=c?d^e`f{g|h}i~j!k#l$m%n&o*p_q-r@example.com": (
        "a/b=c?d^e`f{g|h}i~j!k#l$m%n&o*p_q-r@example.com"
    ),
    "  ann@example.com\t": "ann@example.com",
    "ann@123.example.co": "ann@123.example.co",
    "ann@mail-1.example.com": "ann@mail-1.example.com",
    "Анна@Пример.РФ": "Анна@пример.рф",
    "ann@xn--e1afmkfd.xn--p1ai": "ann@пример.рф",
    "ann@XN--P1AI.example.com": "ann@рф.example.com",
    "ann@ｅｘａｍｐｌｅ.com": "ann@example.com",
    "ann@пример。рф": "ann@пример.рф",
    "ann@MÜNCHEN.de": "ann@münchen.de",
    "ann@straße.de": "ann@straße.de",
    "δοκιμή@παράδειγμα.δοκιμή": "δοκιμή@παράδειγμα.δοκιμή",
    "a\u0301@example.com": "\u00e1@example.com",
    "Ann Lee <ann@example.com>": "ann@example.com",
    "<ann@example.com>": "ann@example.com",
    "a" * 64 + "@example.com": "a" * 64 + "@example.com",
    "a@" + "b" * 63 + ".com": "a@" + "b" * 63 + ".com",
    "a" * 64 + "@" + _LONG_DOMAIN: "a" * 64 + "@" + _LONG_DOMAIN,  # 254 characters
}

REFUSED = {
    "ann": "it must have an @-sign",
    "": "it must have an @-sign",
    "@example.com": "there must be something before the @-sign",
    "ann@": "there must be something after the @-sign",
    "a..b@example.com": "cannot start or end with a period or have two in a row",
    ".ann@example.com": "cannot start or end with a period or have two in a row",
    "ann.@example.com": "cannot start or end with a period or have two in a row",
    "ann lee@example.com": "may not contain U+0020",
    '"ann lee"@example.com': "may not contain '\"'",
    "ann@[192.0.2.1]": "may not contain '['",
    "ann@192.0.2.1": "does not end in a top-level domain",
    "ann@example.c0m1": "does not end in a top-level domain",
    "ann@localhost": "needs a period",
    "ann@shop.test": "'.test' is a special-use domain",
    "ann@printer.local": "'.local' is a special-use domain",
    "ann@x.onion": "'.onion' is a special-use domain",
    "ann@SHOP.INVALID": "'.invalid' is a special-use domain",
    "ann@exa_mple.com": "may not contain '_'",
    "ann@-example.com": "cannot start or end with a hyphen",
    "ann@example-.com": "cannot start or end with a hyphen",
    "ann@example..com": "empty label",
    "ann@example.com.": "empty label",
    "ann@ab--cd.com": "reserved for Punycode",
    "ann@xn--zz.com": "is not valid Punycode",
    "ann@xn--abc-.com": "is not valid Punycode",
    "ann@" + "b" * 64 + ".com": "longer than 63 characters",
    "a" * 65 + "@" + _LONG_DOMAIN: "longer than 254 characters",
    "ann@example.com\n": "line break",
    "ann\r\n@example.com": "line break",
    "an\u200bn@example.com": "may not contain U+200B",
    "\u0301ann@example.com": "may not contain",
    "ann@\u2603.com": "may not contain '☃'",
}


@pytest.mark.parametrize(("given_", "stored"), ACCEPTED.items(), ids=[k[:30] for k in ACCEPTED])
def test_accepts_and_normalises(given_: str, stored: str) -> None:
    assert email_address(given_) == stored


@pytest.mark.parametrize(("given_", "reason"), REFUSED.items(), ids=[k[:30] for k in REFUSED])
def test_refuses_with_the_reason(given_: str, reason: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        email_address(given_)
    assert caught.value.type == "value_error"
    assert caught.value.message().startswith("value is not a valid email address: ")
    assert reason in caught.value.message()


def test_profile_reports_a_bad_address_at_its_field() -> None:
    with pytest.raises(ValidationError) as caught:
        MemberProfile.model_validate({"email": "ann@shop.test", "first_name": "Ann"})

    [error] = caught.value.errors()
    assert error["loc"] == ("email",)
    assert "special-use domain" in error["msg"]


_ATEXT = "abcXYZ019!#$%&'*+/=?^_`{|}~-"
_ATOM = st.text(st.sampled_from(_ATEXT), min_size=1, max_size=10)
_LABEL = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,8}[A-Za-z0-9])?", fullmatch=True).filter(
    lambda label: label[2:4] != "--"
)
_TLD = st.from_regex(r"[A-Za-z]{2,6}", fullmatch=True).filter(
    lambda tld: tld.lower() not in {"arpa", "invalid", "local", "localhost", "onion", "test"}
)
_ASCII_ADDRESS = st.builds(
    lambda atoms, labels, tld: ".".join(atoms) + "@" + ".".join([*labels, tld]),
    st.lists(_ATOM, min_size=1, max_size=3),
    st.lists(_LABEL, min_size=1, max_size=3),
    _TLD,
)


class TestProperties:
    @settings(max_examples=300)
    @given(_ASCII_ADDRESS, st.sampled_from(["", " ", "\t"]))
    def test_keeps_the_blind_index_of_an_ascii_address_as_looked_up(
        self, address: str, padding: str
    ) -> None:
        """Members are found by ``normalize_email`` of the address typed in the lookup, so
        what is stored must normalise to the same text (as under email-validator)."""
        assert normalize_email(email_address(padding + address + padding)) == normalize_email(
            address
        )

    @settings(max_examples=500)
    @given(st.text(st.sampled_from([*_ATEXT, ".", "@", " ", "é", "Ж", "\u0301", "。", "<", ">"])))
    def test_refuses_cleanly_and_accepts_its_own_output_unchanged(self, text: str) -> None:
        try:
            stored = email_address(text)
        except PydanticCustomError:
            return
        assert email_address(stored) == stored
