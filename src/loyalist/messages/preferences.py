"""The preference centre: a member's marketing consent per channel and their choice per
topic, read and changed through the API or the member's own page (its sealed link).

Every change is kept with its source and time: channel consents in the members' audit
trail (``member_consent_changes``), topics in ``message_topic_changes``. The send-time
check reads the choices (``policy.decide``); nothing is marked when they change.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import consents
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.members.schemas import TextRef, TextShown
from loyalist.messages import policy, repository
from loyalist.messages.errors import PreferencesFormInvalidError, PreferencesLinkInvalidError
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


# -- the preference form (the preference centre's page and the member portal's) -------------
@dataclass(frozen=True, slots=True)
class FormChoices:
    """A posted preference form: every channel and topic on or off (a box not ticked is
    off), and the consent text version the page showed under each channel."""

    channels: dict[Channel, bool]
    topics: dict[Topic, bool]
    text_versions: dict[Channel, int]


def form_choices(form: Mapping[str, list[str]]) -> FormChoices:
    """The choices of a posted form (``channel`` and ``topic`` values ticked,
    ``text_<channel>`` versions shown).

    Raises:
        PreferencesFormInvalidError: an unknown channel or topic, or a version that is not
            one number (pointing at the field).
    """
    ticked = _ticked(form, "channel", {c.value for c in Channel})
    channels = {channel: channel.value in ticked for channel in Channel}
    ticked = _ticked(form, "topic", {t.value for t in Topic})
    topics = {topic: topic.value in ticked for topic in Topic}
    return FormChoices(channels, topics, _text_versions(form))


def save_choices(
    uow: UnitOfWork,
    member_id: int,
    locale: str,
    choices: FormChoices,
    *,
    source: str,
    ip: str | None,
) -> PreferencesRead:
    """Save a posted form's choices, each channel's consent with the text version the page
    showed (in ``locale``, the page's language).

    Raises:
        ConsentTextNotFoundError: a version shown is not published (``/text_<channel>``).
    """
    texts = {
        channel: consents.text_shown(
            uow, channel.value, TextShown(version=version), locale, pointer=f"/text_{channel.value}"
        )
        for channel, version in choices.text_versions.items()
    }
    return update_preferences(
        uow,
        member_id,
        channels=choices.channels,
        topics=choices.topics,
        source=source,
        ip=ip,
        texts=texts,
    )


def _ticked(form: Mapping[str, list[str]], name: str, known: set[str]) -> set[str]:
    """The values of the form's ``name`` boxes that were ticked (all of them known)."""
    ticked = set(form.get(name, []))
    unknown = sorted(ticked - known)
    if unknown:
        raise PreferencesFormInvalidError(
            f"unknown {name} {unknown[0]!r}",
            errors=[FieldError(f"/{name}", f"one of {sorted(known)}")],
        )
    return ticked


def _text_versions(form: Mapping[str, list[str]]) -> dict[Channel, int]:
    """The consent text version the page showed for each channel (``text_<channel>``)."""
    found: dict[Channel, int] = {}
    for channel in Channel:
        values = form.get(f"text_{channel.value}")
        if values is None:
            continue
        if len(values) != 1 or not _VERSION.fullmatch(values[0]):
            raise PreferencesFormInvalidError(
                f"text_{channel.value} must be one version number",
                errors=[FieldError(f"/text_{channel.value}", "a version number")],
            )
        found[channel] = int(values[0])
    return found


_VERSION = re.compile(r"[1-9][0-9]{0,8}")
