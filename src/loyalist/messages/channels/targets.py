"""Which network addresses a webhook may reach: the guard against server-side request
forgery (SSRF).

A webhook's URL is chosen by whoever registers the endpoint, so the worker must not be
turned into a client of the shop's internal network or of a cloud metadata service. The
guard resolves the host, refuses the whole target when any address it resolves to is not
a public unicast address, and connects to an address it checked: the check runs inside
the transport's connect (``GuardedTransport``), so a DNS answer that changes between a
check and the connection (DNS rebinding) is never used. TLS still verifies the
certificate against the URL's host name (SNI and ``Host`` are the name, only the TCP
connection goes to the checked address).

``allow_private`` (for tests on loopback and for endpoints on the operator's own network)
admits loopback and private addresses; link-local (169.254.169.254 is the metadata
service), multicast, unspecified and reserved addresses are refused even then. IPv6
forms that carry an IPv4 address (``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4,
Teredo) are judged by that IPv4 address too.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: ``(host, port) -> addresses``; the system's resolver unless a test gives another.
Resolver = Callable[[str, int], Sequence[str]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
SCHEMES = frozenset({"http", "https"})


class TargetRefused(Exception):
    """The URL's scheme, or an address its host resolves to, is not one a webhook may
    reach; never retried."""


def refusal(address: IPAddress, *, allow_private: bool = False) -> str | None:
    """Why a connection to ``address`` is refused (``loopback``, ``private``,
    ``link-local``, ``multicast``, ``reserved``, ``unspecified``), or ``None`` when it
    may be reached. Only loopback and private are admitted by ``allow_private``."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return refusal(address.ipv4_mapped, allow_private=allow_private)
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
            return refusal(embedded, allow_private=allow_private)
        carried = [address.sixtofour] if address.sixtofour is not None else []
        if address.teredo is not None:
            carried.append(address.teredo[1])
        for inner in carried:
            reason = refusal(inner, allow_private=allow_private)
            if reason is not None:
                return reason
    if address.is_unspecified:
        return "unspecified"
    if address.is_multicast:
        return "multicast"
    if address.is_link_local:
        return "link-local"
    if address.is_loopback:
        return None if allow_private else "loopback"
    if address.is_reserved:
        return "reserved"
    site_local = isinstance(address, ipaddress.IPv6Address) and address.is_site_local
    if address.is_private or site_local or not address.is_global:
        return None if allow_private else "private"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to for a TCP connection, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_addresses(
    host: str, port: int, *, resolver: Resolver, allow_private: bool
) -> list[str]:
    """The addresses to connect to for ``host``, every one of them allowed.

    Raises:
        TargetRefused: any address ``host`` resolves to is refused (a name that resolves
            to a public and a private address is refused whole).
        OSError: the name does not resolve (``socket.gaierror``).
    """
    addresses = resolver(host, port)
    if not addresses:
        raise TargetRefused(f"{host} resolves to no address")
    for text in addresses:
        reason = refusal(ipaddress.ip_address(text), allow_private=allow_private)
        if reason is not None:
            raise TargetRefused(f"{host} resolves to {text}, a {reason} address")
    return list(addresses)


def check_url(url: str) -> tuple[str, int]:
    """The host and port of a webhook URL, if its form is acceptable.

    Raises:
        TargetRefused: not ``http``/``https``, or no host.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"not a URL: {exc}") from exc
    if parts.scheme not in SCHEMES:
        raise TargetRefused(f"scheme {parts.scheme or '(none)'!r} is not http or https")
    if not parts.hostname:
        raise TargetRefused("the URL has no host")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check_target(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> None:
    """Check a webhook URL now (when an endpoint is registered, to answer with a problem);
    the transport checks again at every connection.

    Raises:
        TargetRefused: see ``check_url`` and ``checked_addresses``.
        OSError: the host does not resolve.
    """
    host, port = check_url(url)
    checked_addresses(host, port, resolver=resolver, allow_private=allow_private)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves and checks the host itself, then connects to a checked address."""

    def __init__(self, resolver: Resolver, allow_private: bool) -> None:
        self._resolver = resolver
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = checked_addresses(
                host, port, resolver=self._resolver, allow_private=self._allow_private
            )
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        last: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last


@functools.cache
def _tls() -> ssl.SSLContext:
    """The certificate-verifying TLS context of every guarded transport, made once per
    process: loading the CA bundle took ~40% of a delivery pass when each pass made two."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connections made through the guard.

    ``TargetRefused`` leaves ``send`` as it is (httpx maps only httpcore's errors).
    httpx is pinned: this replaces the transport's pool, built the way httpx builds it,
    with one whose network backend is the guard.
    """

    def __init__(
        self, *, allow_private: bool = False, resolver: Resolver = system_resolver
    ) -> None:
        super().__init__(verify=_tls(), trust_env=False)
        limits = httpx.Limits()
        self._pool = httpcore.ConnectionPool(
            ssl_context=_tls(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(resolver, allow_private),
        )
