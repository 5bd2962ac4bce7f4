"""Messages: the outbox every message leaves through, the send-time check (consent,
suppression, quiet hours, caps), delivery over channels, journeys, the inbox and one-click
unsubscribe and the preference centre (channels and topics), what providers report back
(bounces, complaints, deliveries, SMS STOP); templates, their stored versions, their
rendering in English and Russian and previews; journey settings; the packing note; webhook
endpoints and the signed webhooks they get.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository is its own.
"""

__all__ = [
    "contexts",
    "editing",
    "errors",
    "formatting",
    "journeyconf",
    "journeys_kit",
    "models",
    "packing",
    "policy",
    "preferences",
    "previews",
    "providers",
    "rendering",
    "schemas",
    "sealing",
    "service",
    "webhooks",
]
