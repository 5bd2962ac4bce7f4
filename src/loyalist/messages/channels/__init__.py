"""Channels: how a rendered message leaves Loyalist (e-mail, webhook, SMS, push).

Each sender is a plain class built from its own config dataclass and implements
``base.Sender``; none reads settings or the database (the delivery worker builds them).
"""
