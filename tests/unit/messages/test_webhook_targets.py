"""The SSRF guard's address classifier and URL checks, on examples and as properties over
all IPv4 and IPv6 addresses."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.messages.channels.targets import (
    TargetRefused,
    check_target,
    check_url,
    checked_addresses,
    refusal,
)
from loyalist.messages.errors import WebhookUrlRefusedError
from loyalist.messages.webhooks import checked_url

ALWAYS_REFUSED = ("unspecified", "multicast", "link-local", "reserved")

#: Networks no webhook may reach without ``allow_private``, with the reason.
REFUSED_NETWORKS = [
    ("0.0.0.0/32", "unspecified"),
    ("127.0.0.0/8", "loopback"),
    ("10.0.0.0/8", "private"),
    ("172.16.0.0/12", "private"),
    ("192.168.0.0/16", "private"),
    ("100.64.0.0/10", "private"),
    ("169.254.0.0/16", "link-local"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("fc00::/7", "private"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "private"),
    ("ff00::/8", "multicast"),
    ("2001:db8::/32", "private"),
]

ipv4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
ipv6 = st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)


@st.composite
def in_network(draw: st.DrawFn, network: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    net = ipaddress.ip_network(network)
    offset = draw(st.integers(0, net.num_addresses - 1))
    return type(net.network_address)(int(net.network_address) + offset)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
        ("169.254.169.254", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("::ffff:8.8.8.8", None),
        ("64:ff9b::7f00:1", "loopback"),
        ("64:ff9b::808:808", None),
        ("2002:7f00:1::1", "loopback"),
        ("2002:a9fe:a9fe::1", "link-local"),
        ("::8.8.8.8", "reserved"),
        ("255.255.255.255", "reserved"),
    ],
)
def test_addresses_are_classified(address: str, expected: str | None) -> None:
    assert refusal(ipaddress.ip_address(address)) == expected


@given(data=st.data(), case=st.sampled_from(REFUSED_NETWORKS))
def test_every_address_of_a_refused_network_is_refused(
    data: st.DataObject, case: tuple[str, str]
) -> None:
    network, reason = case
    address = data.draw(in_network(network))

    assert refusal(address) == reason
    admitted = refusal(address, allow_private=True)
    assert admitted == (reason if reason in ALWAYS_REFUSED else None)


@given(address=ipv4)
def test_an_ipv4_address_in_ipv6_forms_is_judged_as_itself(
    address: ipaddress.IPv4Address,
) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    nat64 = ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(address))
    for allow_private in (False, True):
        expected = refusal(address, allow_private=allow_private)
        assert refusal(mapped, allow_private=allow_private) == expected
        assert refusal(nat64, allow_private=allow_private) == expected


@given(address=ipv4)
def test_a_6to4_address_is_refused_when_the_ipv4_it_carries_is(
    address: ipaddress.IPv4Address,
) -> None:
    sixtofour = ipaddress.IPv6Address((0x2002 << 112) | (int(address) << 80) | 1)

    if refusal(address) is not None:
        assert refusal(sixtofour) is not None


@given(address=st.one_of(ipv4, ipv6))
def test_allow_private_only_ever_admits_more(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    strict, lenient = refusal(address), refusal(address, allow_private=True)

    assert lenient is None or lenient == strict
    assert lenient is None or lenient in ALWAYS_REFUSED
    if strict is None:
        assert address.is_global
        assert not address.is_multicast


def test_a_name_is_refused_whole_when_any_of_its_addresses_is() -> None:
    with pytest.raises(TargetRefused, match=r"10\.0\.0\.7, a private address"):
        checked_addresses(
            "mixed.example",
            443,
            resolver=lambda host, port: ["93.184.216.34", "10.0.0.7"],
            allow_private=False,
        )
    with pytest.raises(TargetRefused, match="no address"):
        checked_addresses("void.example", 443, resolver=lambda h, p: [], allow_private=True)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://hooks.shop.example/loyalty", ("hooks.shop.example", 443)),
        ("http://hooks.shop.example/loyalty", ("hooks.shop.example", 80)),
        ("https://[2606:2800:220:1::1]:8443/x", ("2606:2800:220:1::1", 8443)),
    ],
)
def test_http_urls_give_their_host_and_port(url: str, expected: tuple[str, int]) -> None:
    assert check_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.shop.example/",
        "file:///etc/passwd",
        "gopher://hooks.shop.example/",
        "hooks.shop.example/x",
        "https:///nohost",
        "http://hooks.shop.example:99999/",
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_url(url)


def test_a_target_is_checked_at_registration_with_the_resolver() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return {"public.example": ["93.184.216.34"], "inside.example": ["192.168.1.10"]}[host]

    check_target("https://public.example/x", allow_private=False, resolver=resolver)
    check_target("https://inside.example/x", allow_private=True, resolver=resolver)
    with pytest.raises(TargetRefused, match="private"):
        check_target("https://inside.example/x", allow_private=False, resolver=resolver)


def test_a_host_that_does_not_resolve_is_refused_as_a_problem() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(WebhookUrlRefusedError) as refused:
        checked_url("https://nowhere.example/hooks", allow_private=False, resolver=resolver)
    assert [e.pointer for e in refused.value.errors] == ["/url"]
