"""Messages: the outbox every message leaves through, the send-time check (consent,
suppression, quiet hours, caps), delivery over channels, journeys, the inbox and one-click
unsubscribe.

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = ["errors", "models", "schemas", "service"]
