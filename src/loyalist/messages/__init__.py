"""Messages: what Loyalist tells customers and shops, and the channels it goes through.

Other packages import only the modules named in ``__all__``.
"""

__all__: list[str] = []
