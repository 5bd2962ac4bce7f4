from enum import StrEnum


class LegalBasis(StrEnum):
    AUTHORITY_ORDER = "authority_order"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    RETENTION_EXPIRED = "retention_expired"
    SUBJECT_REQUEST = "subject_request"
    UNLAWFUL_PROCESSING = "unlawful_processing"

    def __str__(self) -> str:
        return str(self.value)
