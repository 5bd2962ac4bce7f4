"""Contains all the data models used in inputs/outputs"""

from .action import Action
from .actor_kind import ActorKind
from .actor_read import ActorRead
from .adjustment import Adjustment
from .adjustment_state import AdjustmentState
from .also_bought_read import AlsoBoughtRead
from .api_key_in import ApiKeyIn
from .api_key_issued import ApiKeyIssued
from .api_key_read import ApiKeyRead
from .arm_report import ArmReport
from .audience import Audience
from .availability import Availability
from .award_badge import AwardBadge
from .badge_spec import BadgeSpec
from .batch_read import BatchRead
from .batch_status import BatchStatus
from .birthday import Birthday
from .birthday_channels_item import BirthdayChannelsItem
from .campaign_report import CampaignReport
from .campaign_spec import CampaignSpec
from .campaign_spec_channel import CampaignSpecChannel
from .campaign_spec_late import CampaignSpecLate
from .campaign_state import CampaignState
from .campaign_status import CampaignStatus
from .cap import Cap
from .cap_per import CapPer
from .cart import Cart
from .cart_line import CartLine
from .channel import Channel
from .channel_preference_read import ChannelPreferenceRead
from .click_in import ClickIn
from .code_mode import CodeMode
from .cohort import Cohort
from .cohort_cell import CohortCell
from .cohorts_report import CohortsReport
from .conditions import Conditions
from .confirm_in import ConfirmIn
from .consent_change_read import ConsentChangeRead
from .consent_read import ConsentRead
from .consent_text_in import ConsentTextIn
from .consent_text_read import ConsentTextRead
from .consent_update import ConsentUpdate
from .content import Content
from .coupon_gift import CouponGift
from .coupon_offer import CouponOffer
from .coupon_offer_by_favourite_category import CouponOfferByFavouriteCategory
from .coupon_use import CouponUse
from .decision_in import DecisionIn
from .decision_reason import DecisionReason
from .destruction_kind import DestructionKind
from .destruction_record_page import DestructionRecordPage
from .destruction_record_read import DestructionRecordRead
from .destruction_record_read_categories import DestructionRecordReadCategories
from .device_in import DeviceIn
from .device_read import DeviceRead
from .dimension import Dimension
from .disposable_domains import DisposableDomains
from .endpoint_in import EndpointIn
from .endpoint_read import EndpointRead
from .endpoint_update import EndpointUpdate
from .enrolment_code import EnrolmentCode
from .enrolment_read import EnrolmentRead
from .erasure_in import ErasureIn
from .estimate import Estimate
from .estimate_channels import EstimateChannels
from .estimate_excluded import EstimateExcluded
from .evaluate_request import EvaluateRequest
from .evaluate_request_event import EvaluateRequestEvent
from .event_in import EventIn
from .event_in_data import EventInData
from .favourite_category_read import FavouriteCategoryRead
from .favourite_product_read import FavouriteProductRead
from .favourites_read import FavouritesRead
from .fixed_discount import FixedDiscount
from .fixed_points import FixedPoints
from .follow_up import FollowUp
from .fraud_rules import FraudRules
from .free_product import FreeProduct
from .free_shipping import FreeShipping
from .friend_reward import FriendReward
from .friend_reward_on import FriendRewardOn
from .generate_in import GenerateIn
from .gift_offer import GiftOffer
from .goal import Goal
from .goal_read import GoalRead
from .grant_reward import GrantReward
from .hold_confirm import HoldConfirm
from .hold_create import HoldCreate
from .hold_in import HoldIn
from .holdout_group_report import HoldoutGroupReport
from .holdout_group_report_key import HoldoutGroupReportKey
from .holdout_report import HoldoutReport
from .holdout_uplift import HoldoutUplift
from .hours_window import HoursWindow
from .inbox_item_read import InboxItemRead
from .inbox_read import InboxRead
from .issue_coupon import IssueCoupon
from .journey_cohort import JourneyCohort
from .journey_report import JourneyReport
from .journeys_config import JourneysConfig
from .kpi_report import KpiReport
from .kpi_row import KpiRow
from .kpi_total import KpiTotal
from .legal_basis import LegalBasis
from .level_spec import LevelSpec
from .limits import Limits
from .line_match import LineMatch
from .locale import Locale
from .locale_text import LocaleText
from .member_caps import MemberCaps
from .member_consents_read import MemberConsentsRead
from .member_page import MemberPage
from .member_profile import MemberProfile
from .member_profile_attributes_type_0 import MemberProfileAttributesType0
from .member_profile_consents_type_0 import MemberProfileConsentsType0
from .member_read import MemberRead
from .member_read_attributes import MemberReadAttributes
from .member_recommendations_read import MemberRecommendationsRead
from .member_scores import MemberScores
from .membership_read import MembershipRead
from .message_channel import MessageChannel
from .message_kind import MessageKind
from .message_read import MessageRead
from .message_status import MessageStatus
from .method import Method
from .milestone import Milestone
from .multiplier import Multiplier
from .name import Name
from .needs import Needs
from .neighbour_read import NeighbourRead
from .next_tier_read import NextTierRead
from .nps_figures import NpsFigures
from .nps_report import NpsReport
from .nps_row import NpsRow
from .offer import Offer
from .order_confirmation import OrderConfirmation
from .order_confirmation_channels_item import OrderConfirmationChannelsItem
from .packing_note_api_v1_orders_order_id_packing_note_get_format import (
    PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat,
)
from .pair_score import PairScore
from .password_confirmation import PasswordConfirmation
from .per_item import PerItem
from .per_unit import PerUnit
from .per_unit_of import PerUnitOf
from .per_unit_rates import PerUnitRates
from .percent_discount import PercentDiscount
from .period import Period
from .perks import Perks
from .perks_flags import PerksFlags
from .personal_field import PersonalField
from .points import Points
from .points_channels_item import PointsChannelsItem
from .points_offer import PointsOffer
from .post_events_api_v1_events_post_body_type_2 import PostEventsApiV1EventsPostBodyType2
from .post_purchase import PostPurchase
from .post_purchase_channels_item import PostPurchaseChannelsItem
from .preference_change_read import PreferenceChangeRead
from .preferences_read import PreferencesRead
from .preferences_update import PreferencesUpdate
from .preferences_update_channels import PreferencesUpdateChannels
from .preferences_update_topics import PreferencesUpdateTopics
from .preview_in import PreviewIn
from .preview_in_context_type_0 import PreviewInContextType0
from .preview_read import PreviewRead
from .preview_read_renderings import PreviewReadRenderings
from .problem import Problem
from .problem_errors_item import ProblemErrorsItem
from .purpose_consent_read import PurposeConsentRead
from .purpose_in import PurposeIn
from .purpose_kind import PurposeKind
from .purpose_read import PurposeRead
from .push_platform import PushPlatform
from .put_journey_api_v1_journeys_name_put_body import PutJourneyApiV1JourneysNamePutBody
from .quest_period import QuestPeriod
from .quest_period_type import QuestPeriodType
from .quest_reward import QuestReward
from .quest_spec import QuestSpec
from .quest_step import QuestStep
from .quote_in import QuoteIn
from .recommendation_read import RecommendationRead
from .recovery_codes_read import RecoveryCodesRead
from .redeem_in import RedeemIn
from .redemption import Redemption
from .referral_program_in import ReferralProgramIn
from .referral_program_in_min_order import ReferralProgramInMinOrder
from .referral_status import ReferralStatus
from .rejection import Rejection
from .release_in import ReleaseIn
from .rendered_read import RenderedRead
from .resend_in import ResendIn
from .reveal_in import RevealIn
from .reveal_read import RevealRead
from .revenue_difference import RevenueDifference
from .reward import Reward
from .reward_status import RewardStatus
from .rewards_referrals import RewardsReferrals
from .rewards_referrals_channels_item import RewardsReferralsChannelsItem
from .role_in import RoleIn
from .role_read import RoleRead
from .role_update import RoleUpdate
from .rollback_in import RollbackIn
from .rotate_in import RotateIn
from .rule_spec import RuleSpec
from .season_copy import SeasonCopy
from .second_order_bucket import SecondOrderBucket
from .second_order_report import SecondOrderReport
from .secret_read import SecretRead
from .segment_figures import SegmentFigures
from .segments_summary import SegmentsSummary
from .self_referral_rule import SelfReferralRule
from .session_read import SessionRead
from .session_stage import SessionStage
from .session_started import SessionStarted
from .share_in import ShareIn
from .shipping import Shipping
from .shipping_channels_item import ShippingChannelsItem
from .sign_in import SignIn
from .similarity_rule import SimilarityRule
from .simple_rule import SimpleRule
from .stacking import Stacking
from .staff_user_create import StaffUserCreate
from .staff_user_read import StaffUserRead
from .staff_user_update import StaffUserUpdate
from .status_change_read import StatusChangeRead
from .streak_spec import StreakSpec
from .streak_spec_period import StreakSpecPeriod
from .suppression_in import SuppressionIn
from .suppression_reason import SuppressionReason
from .targeting import Targeting
from .template_in import TemplateIn
from .template_list_item import TemplateListItem
from .template_list_item_locales import TemplateListItemLocales
from .template_locale_read import TemplateLocaleRead
from .template_version_read import TemplateVersionRead
from .text import Text
from .text_ref import TextRef
from .text_shown import TextShown
from .threshold import Threshold
from .tier import Tier
from .tier_change_read import TierChangeRead
from .tier_channels_item import TierChannelsItem
from .tier_level import TierLevel
from .tier_level_name import TierLevelName
from .tier_program import TierProgram
from .tier_program_downgrade import TierProgramDowngrade
from .tier_program_plans import TierProgramPlans
from .tier_program_window import TierProgramWindow
from .tier_ref import TierRef
from .tip import Tip
from .topic import Topic
from .topic_preference_read import TopicPreferenceRead
from .totals import Totals
from .two_factor_code import TwoFactorCode
from .uplift import Uplift
from .validate_in import ValidateIn
from .validity import Validity
from .validity_days_of_week_item import ValidityDaysOfWeekItem
from .variant import Variant
from .velocity_rule import VelocityRule
from .webhook_event import WebhookEvent
from .welcome import Welcome
from .welcome_channels_item import WelcomeChannelsItem
from .whole_program import WholeProgram
from .whole_program_badges_type_0 import WholeProgramBadgesType0
from .whole_program_campaigns_type_0 import WholeProgramCampaignsType0
from .whole_program_coupon_campaigns_type_0 import WholeProgramCouponCampaignsType0
from .whole_program_levels_type_0 import WholeProgramLevelsType0
from .whole_program_quests_type_0 import WholeProgramQuestsType0
from .whole_program_rewards_type_0 import WholeProgramRewardsType0
from .whole_program_streaks_type_0 import WholeProgramStreaksType0
from .whole_program_templates_type_0 import WholeProgramTemplatesType0
from .whole_program_templates_type_0_additional_property import WholeProgramTemplatesType0AdditionalProperty
from .win_back import WinBack
from .win_back_channels_item import WinBackChannelsItem
from .window_read import WindowRead
from .window_read_kind import WindowReadKind
from .winner_rule import WinnerRule

__all__ = (
    "Action",
    "ActorKind",
    "ActorRead",
    "Adjustment",
    "AdjustmentState",
    "AlsoBoughtRead",
    "ApiKeyIn",
    "ApiKeyIssued",
    "ApiKeyRead",
    "ArmReport",
    "Audience",
    "Availability",
    "AwardBadge",
    "BadgeSpec",
    "BatchRead",
    "BatchStatus",
    "Birthday",
    "BirthdayChannelsItem",
    "CampaignReport",
    "CampaignSpec",
    "CampaignSpecChannel",
    "CampaignSpecLate",
    "CampaignState",
    "CampaignStatus",
    "Cap",
    "CapPer",
    "Cart",
    "CartLine",
    "Channel",
    "ChannelPreferenceRead",
    "ClickIn",
    "CodeMode",
    "Cohort",
    "CohortCell",
    "CohortsReport",
    "Conditions",
    "ConfirmIn",
    "ConsentChangeRead",
    "ConsentRead",
    "ConsentTextIn",
    "ConsentTextRead",
    "ConsentUpdate",
    "Content",
    "CouponGift",
    "CouponOffer",
    "CouponOfferByFavouriteCategory",
    "CouponUse",
    "DecisionIn",
    "DecisionReason",
    "DestructionKind",
    "DestructionRecordPage",
    "DestructionRecordRead",
    "DestructionRecordReadCategories",
    "DeviceIn",
    "DeviceRead",
    "Dimension",
    "DisposableDomains",
    "EndpointIn",
    "EndpointRead",
    "EndpointUpdate",
    "EnrolmentCode",
    "EnrolmentRead",
    "ErasureIn",
    "Estimate",
    "EstimateChannels",
    "EstimateExcluded",
    "EvaluateRequest",
    "EvaluateRequestEvent",
    "EventIn",
    "EventInData",
    "FavouriteCategoryRead",
    "FavouriteProductRead",
    "FavouritesRead",
    "FixedDiscount",
    "FixedPoints",
    "FollowUp",
    "FraudRules",
    "FreeProduct",
    "FreeShipping",
    "FriendReward",
    "FriendRewardOn",
    "GenerateIn",
    "GiftOffer",
    "Goal",
    "GoalRead",
    "GrantReward",
    "HoldConfirm",
    "HoldCreate",
    "HoldIn",
    "HoldoutGroupReport",
    "HoldoutGroupReportKey",
    "HoldoutReport",
    "HoldoutUplift",
    "HoursWindow",
    "InboxItemRead",
    "InboxRead",
    "IssueCoupon",
    "JourneyCohort",
    "JourneyReport",
    "JourneysConfig",
    "KpiReport",
    "KpiRow",
    "KpiTotal",
    "LegalBasis",
    "LevelSpec",
    "Limits",
    "LineMatch",
    "Locale",
    "LocaleText",
    "MemberCaps",
    "MemberConsentsRead",
    "MemberPage",
    "MemberProfile",
    "MemberProfileAttributesType0",
    "MemberProfileConsentsType0",
    "MemberRead",
    "MemberReadAttributes",
    "MemberRecommendationsRead",
    "MemberScores",
    "MembershipRead",
    "MessageChannel",
    "MessageKind",
    "MessageRead",
    "MessageStatus",
    "Method",
    "Milestone",
    "Multiplier",
    "Name",
    "Needs",
    "NeighbourRead",
    "NextTierRead",
    "NpsFigures",
    "NpsReport",
    "NpsRow",
    "Offer",
    "OrderConfirmation",
    "OrderConfirmationChannelsItem",
    "PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat",
    "PairScore",
    "PasswordConfirmation",
    "PercentDiscount",
    "Period",
    "PerItem",
    "Perks",
    "PerksFlags",
    "PersonalField",
    "PerUnit",
    "PerUnitOf",
    "PerUnitRates",
    "Points",
    "PointsChannelsItem",
    "PointsOffer",
    "PostEventsApiV1EventsPostBodyType2",
    "PostPurchase",
    "PostPurchaseChannelsItem",
    "PreferenceChangeRead",
    "PreferencesRead",
    "PreferencesUpdate",
    "PreferencesUpdateChannels",
    "PreferencesUpdateTopics",
    "PreviewIn",
    "PreviewInContextType0",
    "PreviewRead",
    "PreviewReadRenderings",
    "Problem",
    "ProblemErrorsItem",
    "PurposeConsentRead",
    "PurposeIn",
    "PurposeKind",
    "PurposeRead",
    "PushPlatform",
    "PutJourneyApiV1JourneysNamePutBody",
    "QuestPeriod",
    "QuestPeriodType",
    "QuestReward",
    "QuestSpec",
    "QuestStep",
    "QuoteIn",
    "RecommendationRead",
    "RecoveryCodesRead",
    "RedeemIn",
    "Redemption",
    "ReferralProgramIn",
    "ReferralProgramInMinOrder",
    "ReferralStatus",
    "Rejection",
    "ReleaseIn",
    "RenderedRead",
    "ResendIn",
    "RevealIn",
    "RevealRead",
    "RevenueDifference",
    "Reward",
    "RewardsReferrals",
    "RewardsReferralsChannelsItem",
    "RewardStatus",
    "RoleIn",
    "RoleRead",
    "RoleUpdate",
    "RollbackIn",
    "RotateIn",
    "RuleSpec",
    "SeasonCopy",
    "SecondOrderBucket",
    "SecondOrderReport",
    "SecretRead",
    "SegmentFigures",
    "SegmentsSummary",
    "SelfReferralRule",
    "SessionRead",
    "SessionStage",
    "SessionStarted",
    "ShareIn",
    "Shipping",
    "ShippingChannelsItem",
    "SignIn",
    "SimilarityRule",
    "SimpleRule",
    "Stacking",
    "StaffUserCreate",
    "StaffUserRead",
    "StaffUserUpdate",
    "StatusChangeRead",
    "StreakSpec",
    "StreakSpecPeriod",
    "SuppressionIn",
    "SuppressionReason",
    "Targeting",
    "TemplateIn",
    "TemplateListItem",
    "TemplateListItemLocales",
    "TemplateLocaleRead",
    "TemplateVersionRead",
    "Text",
    "TextRef",
    "TextShown",
    "Threshold",
    "Tier",
    "TierChangeRead",
    "TierChannelsItem",
    "TierLevel",
    "TierLevelName",
    "TierProgram",
    "TierProgramDowngrade",
    "TierProgramPlans",
    "TierProgramWindow",
    "TierRef",
    "Tip",
    "Topic",
    "TopicPreferenceRead",
    "Totals",
    "TwoFactorCode",
    "Uplift",
    "ValidateIn",
    "Validity",
    "ValidityDaysOfWeekItem",
    "Variant",
    "VelocityRule",
    "WebhookEvent",
    "Welcome",
    "WelcomeChannelsItem",
    "WholeProgram",
    "WholeProgramBadgesType0",
    "WholeProgramCampaignsType0",
    "WholeProgramCouponCampaignsType0",
    "WholeProgramLevelsType0",
    "WholeProgramQuestsType0",
    "WholeProgramRewardsType0",
    "WholeProgramStreaksType0",
    "WholeProgramTemplatesType0",
    "WholeProgramTemplatesType0AdditionalProperty",
    "WinBack",
    "WinBackChannelsItem",
    "WindowRead",
    "WindowReadKind",
    "WinnerRule",
)
