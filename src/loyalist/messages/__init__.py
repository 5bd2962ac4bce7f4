"""Messages to members: templates and their rendering, channels, consent, delivery, journeys.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository is its own.
"""

__all__ = ["contexts", "errors", "formatting", "rendering"]
