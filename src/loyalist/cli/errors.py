"""Problems of the command line: starting the application, and the files it reads."""

from __future__ import annotations

from loyalist.errors import InvalidRequestError, SetupError


# -- starting the application (exit 1) ----------------------------------------------------
class SettingsInvalidError(SetupError):
    """A ``LOYALIST_*`` setting has a value of the wrong type or out of range."""

    code = "settings_invalid"


class KeyInvalidError(SetupError):
    """The secret key (or a retired one) is not a usable key."""

    code = "key_invalid"


class DatabaseUrlInvalidError(SetupError):
    """``LOYALIST_DATABASE_URL`` is not a database URL this installation can use."""

    code = "database_url_invalid"


class SchemaOutdatedError(SetupError):
    """The database schema is not at this version's migration head."""

    code = "schema_outdated"


# -- files (exit 2) -----------------------------------------------------------------------
class FormatUnknownError(InvalidRequestError):
    """``import events --format`` is neither ``jsonl`` nor ``csv``."""

    code = "format_unknown"


class LineInvalidError(InvalidRequestError):
    """A line of an imported events file is not JSON, or its ``data`` column is not."""

    code = "line_invalid"


class OrdersFileInvalidError(InvalidRequestError):
    """The orders file of ``insights clv`` or ``insights recommend-eval`` cannot be read."""

    code = "orders_file_invalid"


class OptionInvalidError(InvalidRequestError):
    """A command-line option has a value the command cannot use (a date, a range)."""

    code = "option_invalid"


class ExportHeaderInvalidError(InvalidRequestError):
    """The file given to ``import shopify-orders`` or ``woocommerce-orders`` is not its export."""

    code = "export_header_invalid"


class ExportRowInvalidError(InvalidRequestError):
    """An order of a platform's export file cannot be read or is refused."""

    code = "export_row_invalid"
