"""Channels: how a rendered message leaves (email over SMTP, webhooks, SMS, push), each
behind the small ``Sender`` interface of ``channels.base``."""
