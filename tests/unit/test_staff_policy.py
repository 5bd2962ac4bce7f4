"""What scopes grant, which permission values are known, what nobody may grant, and how the
audit trail's views show an address."""

from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from loyalist.audit.policy import truncated_ip
from loyalist.errors import FieldError
from loyalist.staff.models import Permission, Scope
from loyalist.staff.policy import (
    BUILTIN_ROLES,
    SCOPE_PERMISSIONS,
    beyond,
    known_permissions,
    permission_problems,
    scope_permissions,
)


class TestScopes:
    def test_every_scope_grants_something_and_admin_grants_everything(self) -> None:
        assert set(SCOPE_PERMISSIONS) == set(Scope)
        assert all(SCOPE_PERMISSIONS.values())
        assert SCOPE_PERMISSIONS[Scope.ADMIN] == frozenset(Permission)

    def test_scopes_grant_the_union_of_their_permissions_and_unknown_ones_nothing(
        self,
    ) -> None:
        granted = scope_permissions(["points:read", "checkout:read", "retired:scope"])

        assert granted == {Permission.POINTS_READ, Permission.CHECKOUT_READ}

    def test_no_scope_but_admin_grants_managing_staff_keys_or_the_audit_trail(self) -> None:
        guarded = {Permission.STAFF_MANAGE, Permission.KEYS_MANAGE, Permission.AUDIT_READ}

        assert {scope for scope, granted in SCOPE_PERMISSIONS.items() if granted & guarded} == {
            Scope.ADMIN
        }


class TestRoles:
    def test_owner_and_admin_hold_every_permission_and_the_others_fewer(self) -> None:
        every = frozenset(Permission)

        assert BUILTIN_ROLES["owner"].permissions == every
        assert BUILTIN_ROLES["admin"].permissions == every
        assert all(
            spec.permissions < every
            for slug, spec in BUILTIN_ROLES.items()
            if slug not in ("owner", "admin")
        )

    def test_the_cashier_looks_up_members_earns_and_redeems_only(self) -> None:
        assert BUILTIN_ROLES["cashier"].permissions == {
            Permission.MEMBERS_READ,
            Permission.CHECKOUT_READ,
            Permission.CHECKOUT,
            Permission.EVENTS_WRITE,
        }

    def test_unknown_permissions_are_pointed_at_by_index(self) -> None:
        problems = permission_problems(["members.read", "members.eat", "points.adjust", ""], "/p")

        assert problems == [
            FieldError("/p/1", "unknown permission 'members.eat'"),
            FieldError("/p/3", "unknown permission ''"),
        ]

    def test_stored_values_no_longer_known_grant_nothing(self) -> None:
        assert known_permissions(["audit.read", "gone.away"]) == {Permission.AUDIT_READ}

    def test_what_is_granted_beyond_what_is_held_is_listed_sorted(self) -> None:
        held = frozenset({Permission.MEMBERS_READ, Permission.KEYS_MANAGE})

        extra = beyond(
            [Permission.STAFF_MANAGE, Permission.MEMBERS_READ, Permission.AUDIT_READ], held
        )

        assert extra == [Permission.AUDIT_READ, Permission.STAFF_MANAGE]
        assert beyond(held, held) == []


class TestTruncatedIp:
    def test_ipv4_to_its_24_and_ipv6_to_its_48(self) -> None:
        assert truncated_ip("203.0.113.77") == "203.0.113.0/24"
        assert truncated_ip("2001:db8:abcd:12:1:2:3:4") == "2001:db8:abcd::/48"
        assert truncated_ip("::ffff:10.1.2.3") == "10.1.2.0/24"

    def test_anything_else_is_shown_as_stored(self) -> None:
        assert truncated_ip(None) is None
        assert truncated_ip("") == ""
        assert truncated_ip("testclient") == "testclient"

    @given(st.ip_addresses())
    def test_the_address_lies_in_the_network_shown(
        self, address: ipaddress.IPv4Address | ipaddress.IPv6Address
    ) -> None:
        shown = truncated_ip(str(address))

        assert shown is not None
        network = ipaddress.ip_network(shown)
        mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
        assert (mapped or address) in network
        assert network.prefixlen == (24 if network.version == 4 else 48)
