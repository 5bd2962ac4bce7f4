"""Messages: the outbox every message leaves through, the send-time check (consent,
suppression, quiet hours, caps), delivery over channels, journeys, the inbox and one-click
unsubscribe; templates and their rendering in English and Russian.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository is its own.
"""

__all__ = ["contexts", "errors", "formatting", "models", "rendering", "schemas", "service"]
