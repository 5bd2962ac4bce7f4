from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.self_referral_rule import SelfReferralRule
    from ..models.similarity_rule import SimilarityRule
    from ..models.simple_rule import SimpleRule
    from ..models.velocity_rule import VelocityRule


T = TypeVar("T", bound="FraudRules")


@_attrs_define
class FraudRules:
    """
    Attributes:
        self_referral (SelfReferralRule | Unset):
        existing_customer (SimpleRule | Unset):
        disposable_email (SimpleRule | Unset):
        velocity (VelocityRule | Unset):
        similar_identity (SimilarityRule | Unset):
    """

    self_referral: SelfReferralRule | Unset = UNSET
    existing_customer: SimpleRule | Unset = UNSET
    disposable_email: SimpleRule | Unset = UNSET
    velocity: VelocityRule | Unset = UNSET
    similar_identity: SimilarityRule | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        self_referral: dict[str, Any] | Unset = UNSET
        if not isinstance(self.self_referral, Unset):
            self_referral = self.self_referral.to_dict()

        existing_customer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.existing_customer, Unset):
            existing_customer = self.existing_customer.to_dict()

        disposable_email: dict[str, Any] | Unset = UNSET
        if not isinstance(self.disposable_email, Unset):
            disposable_email = self.disposable_email.to_dict()

        velocity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.velocity, Unset):
            velocity = self.velocity.to_dict()

        similar_identity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.similar_identity, Unset):
            similar_identity = self.similar_identity.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if self_referral is not UNSET:
            field_dict["self_referral"] = self_referral
        if existing_customer is not UNSET:
            field_dict["existing_customer"] = existing_customer
        if disposable_email is not UNSET:
            field_dict["disposable_email"] = disposable_email
        if velocity is not UNSET:
            field_dict["velocity"] = velocity
        if similar_identity is not UNSET:
            field_dict["similar_identity"] = similar_identity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.self_referral_rule import SelfReferralRule  # noqa: PLC0415
        from ..models.similarity_rule import SimilarityRule  # noqa: PLC0415
        from ..models.simple_rule import SimpleRule  # noqa: PLC0415
        from ..models.velocity_rule import VelocityRule  # noqa: PLC0415

        d = dict(src_dict)
        _self_referral = d.pop("self_referral", UNSET)
        self_referral: SelfReferralRule | Unset
        if isinstance(_self_referral, Unset):
            self_referral = UNSET
        else:
            self_referral = SelfReferralRule.from_dict(_self_referral)

        _existing_customer = d.pop("existing_customer", UNSET)
        existing_customer: SimpleRule | Unset
        if isinstance(_existing_customer, Unset):
            existing_customer = UNSET
        else:
            existing_customer = SimpleRule.from_dict(_existing_customer)

        _disposable_email = d.pop("disposable_email", UNSET)
        disposable_email: SimpleRule | Unset
        if isinstance(_disposable_email, Unset):
            disposable_email = UNSET
        else:
            disposable_email = SimpleRule.from_dict(_disposable_email)

        _velocity = d.pop("velocity", UNSET)
        velocity: VelocityRule | Unset
        if isinstance(_velocity, Unset):
            velocity = UNSET
        else:
            velocity = VelocityRule.from_dict(_velocity)

        _similar_identity = d.pop("similar_identity", UNSET)
        similar_identity: SimilarityRule | Unset
        if isinstance(_similar_identity, Unset):
            similar_identity = UNSET
        else:
            similar_identity = SimilarityRule.from_dict(_similar_identity)

        fraud_rules = cls(
            self_referral=self_referral,
            existing_customer=existing_customer,
            disposable_email=disposable_email,
            velocity=velocity,
            similar_identity=similar_identity,
        )

        return fraud_rules
