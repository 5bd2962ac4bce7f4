"""Problems of what the shop sends: events, batches, orders, returns and reviews."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError


class EventInvalidError(InvalidRequestError):
    """An event does not match its type's schema."""

    code = "event_invalid"


class EventTypeUnknownError(InvalidRequestError):
    """An event's type is neither a known type nor a custom ``x.<name>``."""

    code = "event_type_unknown"


class BatchInvalidError(InvalidRequestError):
    """Several events of a batch are invalid."""

    code = "batch_invalid"


class BatchEmptyError(InvalidRequestError):
    """A batch holds no event."""

    code = "batch_empty"


class BatchTooLargeError(InvalidRequestError):
    """A batch holds more events than one request may."""

    code = "batch_too_large"


class EventIdReusedError(ConflictError):
    """An event id arrives again with a different body."""

    code = "event_id_reused"


class EventNotEvaluableError(InvalidRequestError):
    """A dry run of an ``order.paid`` event has no order lines to evaluate."""

    code = "event_not_evaluable"


class OrderNotFoundError(NotFoundError):
    """No order has the id asked for."""

    code = "order_not_found"


class OrderMemberMismatchError(ConflictError):
    """An event names an order that belongs to another member."""

    code = "order_member_mismatch"


class ReturnSkuUnknownError(InvalidRequestError):
    """A return names a SKU its order does not contain."""

    code = "return_sku_unknown"


class ReviewMemberMismatchError(ConflictError):
    """A review event names a review that belongs to another member."""

    code = "review_member_mismatch"


class CsvHeaderInvalidError(InvalidRequestError):
    """An events CSV lacks a column of ``id,type,member_id,occurred_at``."""

    code = "csv_header_invalid"


class ImportFileInvalidError(InvalidRequestError):
    """An uploaded events file is empty, too large, not UTF-8 or holds no event."""

    code = "import_file_invalid"


class ImportNotFoundError(NotFoundError):
    """No import has the id asked for."""

    code = "import_not_found"
