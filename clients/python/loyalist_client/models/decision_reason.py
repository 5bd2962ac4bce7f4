from enum import StrEnum


class DecisionReason(StrEnum):
    DISPOSABLE_EMAIL = "disposable_email"
    EXISTING_CUSTOMER = "existing_customer"
    OTHER = "other"
    REFERRAL_FARMING = "referral_farming"
    SAME_PERSON = "same_person"
    SIGNALS_EXPLAINED = "signals_explained"
    VERIFIED_NEW_CUSTOMER = "verified_new_customer"

    def __str__(self) -> str:
        return str(self.value)
