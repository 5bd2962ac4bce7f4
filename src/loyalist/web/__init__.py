"""The browser: the staff console (``/console/``) and the member portal (``/portal/``),
server-rendered Jinja2 + HTMX with every asset vendored under ``web/static/``."""
