"""The preference centre: a member's marketing consent per channel and their choice per
topic, read and changed through the API or the member's own page (its sealed link).

Every change is kept with its source and time: channel consents in the members' audit
trail (``member_consent_changes``), topics in ``message_topic_changes``. The send-time
check reads the choices (``policy.decide``); nothing is marked when they change.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.members.schemas import TextRef
from loyalist.messages import policy, repository
from loyalist.messages.errors import PreferencesLinkInvalidError
from loyalist.messages.models import Topic
from loyalist.messages.schemas import (
    ChannelPreferenceRead,
    PreferenceChangeRead,
    PreferencesRead,
    TopicPreferenceRead,
)
from loyalist.messages.service import preferences_member

_HISTORY = 100


def read_preferences(uow: UnitOfWork, member_id: int) -> PreferencesRead:
    """The member's channels and topics (a topic never chosen shows its default) and the
    newest changes of both."""
    consents = {c.channel: c for c in members.channel_consents(uow, member_id)}
    chosen = {p.topic: p for p in repository.topic_preferences(uow.session, member_id)}
    history = [
        PreferenceChangeRead(
            channel=Channel(c.purpose), value=c.is_granted, changed_at=c.changed_at, source=c.source
        )
        for c in members.channel_consent_history(uow, member_id, limit=_HISTORY)
    ] + [
        PreferenceChangeRead(
            topic=c.topic, value=c.is_subscribed, changed_at=c.changed_at, source=c.source
        )
        for c in repository.topic_changes(uow.session, member_id, _HISTORY)
    ]
    history.sort(key=lambda change: change.changed_at, reverse=True)
    return PreferencesRead(
        member_id=members.external_ids(uow, [member_id])[member_id],
        channels=[
            ChannelPreferenceRead(
                channel=channel,
                is_granted=consent.is_granted if consent else False,
                changed_at=consent.changed_at if consent else None,
                source=consent.source if consent else None,
            )
            for channel in Channel
            for consent in [consents.get(channel)]
        ],
        topics=[
            TopicPreferenceRead(
                topic=topic,
                is_subscribed=choice.is_subscribed if choice else policy.is_subscribed(topic, {}),
                is_opt_in=topic in policy.OPT_IN_TOPICS,
                changed_at=choice.changed_at if choice else None,
                source=choice.source if choice else None,
            )
            for topic in Topic
            for choice in [chosen.get(topic)]
        ],
        history=history[:_HISTORY],
    )


def update_preferences(
    uow: UnitOfWork,
    member_id: int,
    *,
    channels: Mapping[Channel, bool],
    topics: Mapping[Topic, bool],
    source: str,
    ip: str | None = None,
    texts: Mapping[Channel, TextRef] | None = None,
) -> PreferencesRead:
    """Change the given channels' consent and topics (the others keep theirs); a value
    that does not change anything is not recorded again. A channel's consent is recorded
    with ``source``, the member's address (``ip``) and the consent text the page showed
    for it (``texts``), when known."""
    granted_now = members.consents(uow, [member_id])
    shown = texts or {}
    for channel, granted in channels.items():
        if granted_now.get((member_id, channel.value), False) != granted:
            members.set_consent(
                uow, member_id, channel, granted, source=source, ip=ip, text=shown.get(channel)
            )
    chosen = repository.topic_choices(uow.session, [member_id]).get(member_id, {})
    for topic, subscribed in topics.items():
        if policy.is_subscribed(topic, chosen) == subscribed:
            continue  # already so (chosen before, or the topic's default)
        repository.put_topic(
            uow.session,
            {
                "member_id": member_id,
                "topic": topic.value,
                "is_subscribed": subscribed,
                "changed_at": uow.now,
                "source": source[:64],
            },
            f"tpc_{secrets.token_hex(12)}",
        )
    uow.session.flush()
    return read_preferences(uow, member_id)


@dataclass(frozen=True, slots=True)
class PageMember:
    """Whose preference centre a link opens, and the page's language."""

    member_id: int
    locale: str


def page_member(uow: UnitOfWork, token: str) -> PageMember:
    """The member of a preference-centre link.

    Raises:
        PreferencesLinkInvalidError: not a token of this server, or its member is gone.
    """
    member_id = preferences_member(token)
    contact = members.contacts(uow, [member_id]).get(member_id)
    if contact is None:
        raise PreferencesLinkInvalidError("this preferences link is no longer valid")
    return PageMember(member_id, contact.locale)
