"""Contains all the data models used in inputs/outputs"""

from .action import Action
from .actor import Actor
from .actor_kind import ActorKind
from .actor_read import ActorRead
from .adjustment import Adjustment
from .adjustment_read import AdjustmentRead
from .adjustment_request_read import AdjustmentRequestRead
from .adjustment_request_read_list import AdjustmentRequestReadList
from .adjustment_state import AdjustmentState
from .also_bought_read import AlsoBoughtRead
from .ambassador import Ambassador
from .answer_survey_surveys_token_post_body import AnswerSurveySurveysTokenPostBody
from .api_key_in import ApiKeyIn
from .api_key_issued import ApiKeyIssued
from .api_key_read import ApiKeyRead
from .api_key_read_list import ApiKeyReadList
from .arm_report import ArmReport
from .attributed_on import AttributedOn
from .audience import Audience
from .audit_page import AuditPage
from .audit_record_read import AuditRecordRead
from .audit_record_read_after_type_0 import AuditRecordReadAfterType0
from .audit_record_read_before_type_0 import AuditRecordReadBeforeType0
from .availability import Availability
from .award_badge import AwardBadge
from .award_outcome import AwardOutcome
from .badge_read import BadgeRead
from .badge_read_list import BadgeReadList
from .badge_spec import BadgeSpec
from .balance_change import BalanceChange
from .batch_accepted import BatchAccepted
from .batch_read import BatchRead
from .batch_status import BatchStatus
from .birthday import Birthday
from .birthday_channels_item import BirthdayChannelsItem
from .campaign_change import CampaignChange
from .campaign_change_spec_type_0 import CampaignChangeSpecType0
from .campaign_history import CampaignHistory
from .campaign_in import CampaignIn
from .campaign_report import CampaignReport
from .campaign_spec import CampaignSpec
from .campaign_spec_channel import CampaignSpecChannel
from .campaign_spec_late import CampaignSpecLate
from .campaign_state import CampaignState
from .campaign_stats import CampaignStats
from .campaign_status import CampaignStatus
from .cap import Cap
from .cap_per import CapPer
from .cart import Cart
from .cart_line import CartLine
from .change_action import ChangeAction
from .channel import Channel
from .channel_preference_read import ChannelPreferenceRead
from .check import Check
from .checkout_read import CheckoutRead
from .checkout_status import CheckoutStatus
from .click_in import ClickIn
from .click_read import ClickRead
from .click_read_reason_type_0 import ClickReadReasonType0
from .code_mode import CodeMode
from .cohort import Cohort
from .cohort_cell import CohortCell
from .cohorts_report import CohortsReport
from .conditions import Conditions
from .confirm_in import ConfirmIn
from .connector_create import ConnectorCreate
from .connector_read import ConnectorRead
from .connector_update import ConnectorUpdate
from .consent_change_read import ConsentChangeRead
from .consent_read import ConsentRead
from .consent_text_in import ConsentTextIn
from .consent_text_read import ConsentTextRead
from .consent_update import ConsentUpdate
from .content import Content
from .count_range import CountRange
from .coupon_applied import CouponApplied
from .coupon_applied_gift_type_0 import CouponAppliedGiftType0
from .coupon_applied_name import CouponAppliedName
from .coupon_campaign_read import CouponCampaignRead
from .coupon_campaign_read_conditions import CouponCampaignReadConditions
from .coupon_campaign_read_discount import CouponCampaignReadDiscount
from .coupon_campaign_read_list import CouponCampaignReadList
from .coupon_campaign_read_name import CouponCampaignReadName
from .coupon_gift import CouponGift
from .coupon_given import CouponGiven
from .coupon_line_discount import CouponLineDiscount
from .coupon_offer import CouponOffer
from .coupon_offer_by_favourite_category import CouponOfferByFavouriteCategory
from .coupon_refused import CouponRefused
from .coupon_use import CouponUse
from .coupon_valid import CouponValid
from .coupon_valid_gift_type_0 import CouponValidGiftType0
from .coupon_valid_name import CouponValidName
from .custom_event import CustomEvent
from .custom_event_data import CustomEventData
from .custom_reward import CustomReward
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
from .effect_outcome import EffectOutcome
from .endpoint_in import EndpointIn
from .endpoint_read import EndpointRead
from .endpoint_update import EndpointUpdate
from .enrolment_code import EnrolmentCode
from .enrolment_data import EnrolmentData
from .enrolment_data_attributes_type_0 import EnrolmentDataAttributesType0
from .enrolment_data_consents_type_0 import EnrolmentDataConsentsType0
from .enrolment_read import EnrolmentRead
from .erasure_in import ErasureIn
from .estimate import Estimate
from .estimate_channels import EstimateChannels
from .estimate_excluded import EstimateExcluded
from .estimate_sample import EstimateSample
from .estimate_sample_channels import EstimateSampleChannels
from .evaluate_request import EvaluateRequest
from .evaluate_request_event import EvaluateRequestEvent
from .evaluation import Evaluation
from .event_accepted import EventAccepted
from .events_applied import EventsApplied
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
from .funnel import Funnel
from .funnel_counts import FunnelCounts
from .game_stats import GameStats
from .generate_in import GenerateIn
from .gift import Gift
from .gift_offer import GiftOffer
from .goal import Goal
from .goal_read import GoalRead
from .grant_reward import GrantReward
from .history_entry import HistoryEntry
from .history_page import HistoryPage
from .hold_confirm import HoldConfirm
from .hold_create import HoldCreate
from .hold_in import HoldIn
from .hold_read import HoldRead
from .hold_status import HoldStatus
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
from .kpi_report import KpiReport
from .kpi_row import KpiRow
from .kpi_total import KpiTotal
from .leaderboard import Leaderboard
from .legal_basis import LegalBasis
from .level_read import LevelRead
from .level_read_list import LevelReadList
from .level_ref import LevelRef
from .level_spec import LevelSpec
from .liability import Liability
from .liability_system_accounts import LiabilitySystemAccounts
from .limits import Limits
from .line_match import LineMatch
from .locale import Locale
from .locale_text import LocaleText
from .member_badge import MemberBadge
from .member_caps import MemberCaps
from .member_consents_read import MemberConsentsRead
from .member_coupon import MemberCoupon
from .member_coupon_discount import MemberCouponDiscount
from .member_coupon_name import MemberCouponName
from .member_coupons import MemberCoupons
from .member_enrolled_event import MemberEnrolledEvent
from .member_export import MemberExport
from .member_export_audit_item import MemberExportAuditItem
from .member_export_checkouts_item import MemberExportCheckoutsItem
from .member_export_consents import MemberExportConsents
from .member_export_coupons import MemberExportCoupons
from .member_export_destruction_record_type_0 import MemberExportDestructionRecordType0
from .member_export_events_item import MemberExportEventsItem
from .member_export_gamification import MemberExportGamification
from .member_export_insights import MemberExportInsights
from .member_export_ledger import MemberExportLedger
from .member_export_member import MemberExportMember
from .member_export_messages_item import MemberExportMessagesItem
from .member_export_orders_item import MemberExportOrdersItem
from .member_export_referrals import MemberExportReferrals
from .member_export_reviews_item import MemberExportReviewsItem
from .member_export_rewards import MemberExportRewards
from .member_export_rules import MemberExportRules
from .member_export_suppressions_item import MemberExportSuppressionsItem
from .member_export_survey_answers_item import MemberExportSurveyAnswersItem
from .member_export_tiers import MemberExportTiers
from .member_game import MemberGame
from .member_level import MemberLevel
from .member_offer import MemberOffer
from .member_offer_name import MemberOfferName
from .member_page import MemberPage
from .member_profile import MemberProfile
from .member_profile_attributes_type_0 import MemberProfileAttributesType0
from .member_profile_consents_type_0 import MemberProfileConsentsType0
from .member_quest import MemberQuest
from .member_quests import MemberQuests
from .member_read import MemberRead
from .member_read_attributes import MemberReadAttributes
from .member_recommendations_read import MemberRecommendationsRead
from .member_redemptions import MemberRedemptions
from .member_referral import MemberReferral
from .member_scores import MemberScores
from .member_streak import MemberStreak
from .member_streak_period import MemberStreakPeriod
from .member_updated_event import MemberUpdatedEvent
from .membership_cancelled_event import MembershipCancelledEvent
from .membership_end_data import MembershipEndData
from .membership_expired_event import MembershipExpiredEvent
from .membership_period_data import MembershipPeriodData
from .membership_read import MembershipRead
from .membership_renewed_event import MembershipRenewedEvent
from .membership_started_event import MembershipStartedEvent
from .message_channel import MessageChannel
from .message_kind import MessageKind
from .message_read import MessageRead
from .message_read_at import MessageReadAt
from .message_status import MessageStatus
from .method import Method
from .milestone import Milestone
from .multiplier import Multiplier
from .name import Name
from .needs import Needs
from .neighbour_read import NeighbourRead
from .next_expiry import NextExpiry
from .next_level import NextLevel
from .next_tier_read import NextTierRead
from .nps_figures import NpsFigures
from .nps_report import NpsReport
from .nps_row import NpsRow
from .offer import Offer
from .order_cancelled_data import OrderCancelledData
from .order_cancelled_event import OrderCancelledEvent
from .order_channel import OrderChannel
from .order_confirmation import OrderConfirmation
from .order_confirmation_channels_item import OrderConfirmationChannelsItem
from .order_data import OrderData
from .order_delivered_event import OrderDeliveredEvent
from .order_line_in import OrderLineIn
from .order_paid_event import OrderPaidEvent
from .order_placed_event import OrderPlacedEvent
from .order_points import OrderPoints
from .order_points_entry import OrderPointsEntry
from .order_ref import OrderRef
from .order_returned_data import OrderReturnedData
from .order_returned_event import OrderReturnedEvent
from .order_shipped_data import OrderShippedData
from .order_shipped_event import OrderShippedEvent
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
from .platform import Platform
from .points import Points
from .points_balance import PointsBalance
from .points_channels_item import PointsChannelsItem
from .points_offer import PointsOffer
from .points_range import PointsRange
from .post_events_api_v1_events_post_body_type_2 import PostEventsApiV1EventsPostBodyType2
from .post_purchase_channels_item import PostPurchaseChannelsItem
from .posting_kind import PostingKind
from .postmark_events_api_v1_providers_postmark_events_post_body import (
    PostmarkEventsApiV1ProvidersPostmarkEventsPostBody,
)
from .preference_change_read import PreferenceChangeRead
from .preferences_read import PreferencesRead
from .preferences_update import PreferencesUpdate
from .preferences_update_channels import PreferencesUpdateChannels
from .preferences_update_topics import PreferencesUpdateTopics
from .preview_in import PreviewIn
from .preview_in_context_type_0 import PreviewInContextType0
from .preview_read import PreviewRead
from .preview_read_renderings import PreviewReadRenderings
from .priced_line import PricedLine
from .problem import Problem
from .problem_errors_item import ProblemErrorsItem
from .program_applied import ProgramApplied
from .purpose_consent_read import PurposeConsentRead
from .purpose_in import PurposeIn
from .purpose_kind import PurposeKind
from .purpose_read import PurposeRead
from .push_platform import PushPlatform
from .put_journey_api_v1_journeys_name_put_body import PutJourneyApiV1JourneysNamePutBody
from .quest_period import QuestPeriod
from .quest_period_read import QuestPeriodRead
from .quest_period_type import QuestPeriodType
from .quest_read import QuestRead
from .quest_read_list import QuestReadList
from .quest_reward import QuestReward
from .quest_spec import QuestSpec
from .quest_step import QuestStep
from .quest_step_read import QuestStepRead
from .quote import Quote
from .quote_in import QuoteIn
from .reason import Reason
from .reason_params import ReasonParams
from .receive_webhook_api_v1_connectors_platform_connector_key_post_body import (
    ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody,
)
from .recommendation_read import RecommendationRead
from .recovery_codes_read import RecoveryCodesRead
from .redeem_in import RedeemIn
from .redeemed import Redeemed
from .redeemed_gift_type_0 import RedeemedGiftType0
from .redemption import Redemption
from .redemption_read import RedemptionRead
from .redemption_status import RedemptionStatus
from .referral_page import ReferralPage
from .referral_program_in import ReferralProgramIn
from .referral_program_in_min_order import ReferralProgramInMinOrder
from .referral_program_read import ReferralProgramRead
from .referral_program_read_min_order import ReferralProgramReadMinOrder
from .referral_read import ReferralRead
from .referral_read_history_item import ReferralReadHistoryItem
from .referral_read_reward_type_0 import ReferralReadRewardType0
from .referral_ref import ReferralRef
from .referral_status import ReferralStatus
from .refusal import Refusal
from .rejection import Rejection
from .release_in import ReleaseIn
from .rendered_read import RenderedRead
from .resend_in import ResendIn
from .resolution import Resolution
from .resolution_offer_type_0 import ResolutionOfferType0
from .resolution_reason_type_0 import ResolutionReasonType0
from .return_line_in import ReturnLineIn
from .reveal_in import RevealIn
from .reveal_read import RevealRead
from .revenue_difference import RevenueDifference
from .review_data import ReviewData
from .review_published_event import ReviewPublishedEvent
from .review_removed_data import ReviewRemovedData
from .review_removed_event import ReviewRemovedEvent
from .reward import Reward
from .reward_in import RewardIn
from .reward_redemption_read import RewardRedemptionRead
from .reward_redemption_read_name import RewardRedemptionReadName
from .reward_redemption_status import RewardRedemptionStatus
from .reward_status import RewardStatus
from .rewards_referrals import RewardsReferrals
from .rewards_referrals_channels_item import RewardsReferralsChannelsItem
from .role_in import RoleIn
from .role_read import RoleRead
from .role_read_list import RoleReadList
from .role_update import RoleUpdate
from .rollback_in import RollbackIn
from .rotate_in import RotateIn
from .rule_miss import RuleMiss
from .rule_outcome import RuleOutcome
from .rule_spec import RuleSpec
from .save_preferences_preferences_token_post_body import SavePreferencesPreferencesTokenPostBody
from .season import Season
from .season_copy import SeasonCopy
from .season_list import SeasonList
from .season_spec import SeasonSpec
from .second_order_bucket import SecondOrderBucket
from .second_order_report import SecondOrderReport
from .secret_read import SecretRead
from .segment_figures import SegmentFigures
from .segments_summary import SegmentsSummary
from .self_referral_rule import SelfReferralRule
from .ses_events_api_v1_providers_ses_events_post_body import SesEventsApiV1ProvidersSesEventsPostBody
from .session_read import SessionRead
from .session_stage import SessionStage
from .session_started import SessionStarted
from .share_in import ShareIn
from .share_read import ShareRead
from .shipping import Shipping
from .shipping_channels_item import ShippingChannelsItem
from .sign_in import SignIn
from .signals import Signals
from .similarity_rule import SimilarityRule
from .simple_rule import SimpleRule
from .skipped_count import SkippedCount
from .spend_read import SpendRead
from .stacking import Stacking
from .staff_user_create import StaffUserCreate
from .staff_user_read import StaffUserRead
from .staff_user_update import StaffUserUpdate
from .status_change_read import StatusChangeRead
from .streak_read import StreakRead
from .streak_read_list import StreakReadList
from .streak_read_period import StreakReadPeriod
from .streak_spec import StreakSpec
from .streak_spec_period import StreakSpecPeriod
from .subscription_pending import SubscriptionPending
from .suppression_in import SuppressionIn
from .suppression_read import SuppressionRead
from .suppression_reason import SuppressionReason
from .survey_answered_event import SurveyAnsweredEvent
from .survey_channel import SurveyChannel
from .survey_data import SurveyData
from .targeting import Targeting
from .template_in import TemplateIn
from .template_list_item import TemplateListItem
from .template_list_item_list import TemplateListItemList
from .template_list_item_locales import TemplateListItemLocales
from .template_locale_read import TemplateLocaleRead
from .template_version_created import TemplateVersionCreated
from .template_version_read import TemplateVersionRead
from .template_versions import TemplateVersions
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
from .timeline_item import TimelineItem
from .timeline_item_data import TimelineItemData
from .timeline_page import TimelinePage
from .topic import Topic
from .topic_preference_read import TopicPreferenceRead
from .totals import Totals
from .twilio_sms_api_v1_providers_twilio_sms_post_body import TwilioSmsApiV1ProvidersTwilioSmsPostBody
from .two_factor_code import TwoFactorCode
from .unsubscribe_unsubscribe_token_post_body import UnsubscribeUnsubscribeTokenPostBody
from .uplift import Uplift
from .validate_in import ValidateIn
from .validity import Validity
from .validity_days_of_week_item import ValidityDaysOfWeekItem
from .variant import Variant
from .velocity_rule import VelocityRule
from .via import Via
from .webhook_answer import WebhookAnswer
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
    "Actor",
    "ActorKind",
    "ActorRead",
    "Adjustment",
    "AdjustmentRead",
    "AdjustmentRequestRead",
    "AdjustmentRequestReadList",
    "AdjustmentState",
    "AlsoBoughtRead",
    "Ambassador",
    "AnswerSurveySurveysTokenPostBody",
    "ApiKeyIn",
    "ApiKeyIssued",
    "ApiKeyRead",
    "ApiKeyReadList",
    "ArmReport",
    "AttributedOn",
    "Audience",
    "AuditPage",
    "AuditRecordRead",
    "AuditRecordReadAfterType0",
    "AuditRecordReadBeforeType0",
    "Availability",
    "AwardBadge",
    "AwardOutcome",
    "BadgeRead",
    "BadgeReadList",
    "BadgeSpec",
    "BalanceChange",
    "BatchAccepted",
    "BatchRead",
    "BatchStatus",
    "Birthday",
    "BirthdayChannelsItem",
    "CampaignChange",
    "CampaignChangeSpecType0",
    "CampaignHistory",
    "CampaignIn",
    "CampaignReport",
    "CampaignSpec",
    "CampaignSpecChannel",
    "CampaignSpecLate",
    "CampaignState",
    "CampaignStats",
    "CampaignStatus",
    "Cap",
    "CapPer",
    "Cart",
    "CartLine",
    "ChangeAction",
    "Channel",
    "ChannelPreferenceRead",
    "Check",
    "CheckoutRead",
    "CheckoutStatus",
    "ClickIn",
    "ClickRead",
    "ClickReadReasonType0",
    "CodeMode",
    "Cohort",
    "CohortCell",
    "CohortsReport",
    "Conditions",
    "ConfirmIn",
    "ConnectorCreate",
    "ConnectorRead",
    "ConnectorUpdate",
    "ConsentChangeRead",
    "ConsentRead",
    "ConsentTextIn",
    "ConsentTextRead",
    "ConsentUpdate",
    "Content",
    "CountRange",
    "CouponApplied",
    "CouponAppliedGiftType0",
    "CouponAppliedName",
    "CouponCampaignRead",
    "CouponCampaignReadConditions",
    "CouponCampaignReadDiscount",
    "CouponCampaignReadList",
    "CouponCampaignReadName",
    "CouponGift",
    "CouponGiven",
    "CouponLineDiscount",
    "CouponOffer",
    "CouponOfferByFavouriteCategory",
    "CouponRefused",
    "CouponUse",
    "CouponValid",
    "CouponValidGiftType0",
    "CouponValidName",
    "CustomEvent",
    "CustomEventData",
    "CustomReward",
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
    "EffectOutcome",
    "EndpointIn",
    "EndpointRead",
    "EndpointUpdate",
    "EnrolmentCode",
    "EnrolmentData",
    "EnrolmentDataAttributesType0",
    "EnrolmentDataConsentsType0",
    "EnrolmentRead",
    "ErasureIn",
    "Estimate",
    "EstimateChannels",
    "EstimateExcluded",
    "EstimateSample",
    "EstimateSampleChannels",
    "EvaluateRequest",
    "EvaluateRequestEvent",
    "Evaluation",
    "EventAccepted",
    "EventsApplied",
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
    "Funnel",
    "FunnelCounts",
    "GameStats",
    "GenerateIn",
    "Gift",
    "GiftOffer",
    "Goal",
    "GoalRead",
    "GrantReward",
    "HistoryEntry",
    "HistoryPage",
    "HoldConfirm",
    "HoldCreate",
    "HoldIn",
    "HoldoutGroupReport",
    "HoldoutGroupReportKey",
    "HoldoutReport",
    "HoldoutUplift",
    "HoldRead",
    "HoldStatus",
    "HoursWindow",
    "InboxItemRead",
    "InboxRead",
    "IssueCoupon",
    "JourneyCohort",
    "JourneyReport",
    "KpiReport",
    "KpiRow",
    "KpiTotal",
    "Leaderboard",
    "LegalBasis",
    "LevelRead",
    "LevelReadList",
    "LevelRef",
    "LevelSpec",
    "Liability",
    "LiabilitySystemAccounts",
    "Limits",
    "LineMatch",
    "Locale",
    "LocaleText",
    "MemberBadge",
    "MemberCaps",
    "MemberConsentsRead",
    "MemberCoupon",
    "MemberCouponDiscount",
    "MemberCouponName",
    "MemberCoupons",
    "MemberEnrolledEvent",
    "MemberExport",
    "MemberExportAuditItem",
    "MemberExportCheckoutsItem",
    "MemberExportConsents",
    "MemberExportCoupons",
    "MemberExportDestructionRecordType0",
    "MemberExportEventsItem",
    "MemberExportGamification",
    "MemberExportInsights",
    "MemberExportLedger",
    "MemberExportMember",
    "MemberExportMessagesItem",
    "MemberExportOrdersItem",
    "MemberExportReferrals",
    "MemberExportReviewsItem",
    "MemberExportRewards",
    "MemberExportRules",
    "MemberExportSuppressionsItem",
    "MemberExportSurveyAnswersItem",
    "MemberExportTiers",
    "MemberGame",
    "MemberLevel",
    "MemberOffer",
    "MemberOfferName",
    "MemberPage",
    "MemberProfile",
    "MemberProfileAttributesType0",
    "MemberProfileConsentsType0",
    "MemberQuest",
    "MemberQuests",
    "MemberRead",
    "MemberReadAttributes",
    "MemberRecommendationsRead",
    "MemberRedemptions",
    "MemberReferral",
    "MemberScores",
    "MembershipCancelledEvent",
    "MembershipEndData",
    "MembershipExpiredEvent",
    "MembershipPeriodData",
    "MembershipRead",
    "MembershipRenewedEvent",
    "MembershipStartedEvent",
    "MemberStreak",
    "MemberStreakPeriod",
    "MemberUpdatedEvent",
    "MessageChannel",
    "MessageKind",
    "MessageRead",
    "MessageReadAt",
    "MessageStatus",
    "Method",
    "Milestone",
    "Multiplier",
    "Name",
    "Needs",
    "NeighbourRead",
    "NextExpiry",
    "NextLevel",
    "NextTierRead",
    "NpsFigures",
    "NpsReport",
    "NpsRow",
    "Offer",
    "OrderCancelledData",
    "OrderCancelledEvent",
    "OrderChannel",
    "OrderConfirmation",
    "OrderConfirmationChannelsItem",
    "OrderData",
    "OrderDeliveredEvent",
    "OrderLineIn",
    "OrderPaidEvent",
    "OrderPlacedEvent",
    "OrderPoints",
    "OrderPointsEntry",
    "OrderRef",
    "OrderReturnedData",
    "OrderReturnedEvent",
    "OrderShippedData",
    "OrderShippedEvent",
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
    "Platform",
    "Points",
    "PointsBalance",
    "PointsChannelsItem",
    "PointsOffer",
    "PointsRange",
    "PostEventsApiV1EventsPostBodyType2",
    "PostingKind",
    "PostmarkEventsApiV1ProvidersPostmarkEventsPostBody",
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
    "PricedLine",
    "Problem",
    "ProblemErrorsItem",
    "ProgramApplied",
    "PurposeConsentRead",
    "PurposeIn",
    "PurposeKind",
    "PurposeRead",
    "PushPlatform",
    "PutJourneyApiV1JourneysNamePutBody",
    "QuestPeriod",
    "QuestPeriodRead",
    "QuestPeriodType",
    "QuestRead",
    "QuestReadList",
    "QuestReward",
    "QuestSpec",
    "QuestStep",
    "QuestStepRead",
    "Quote",
    "QuoteIn",
    "Reason",
    "ReasonParams",
    "ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody",
    "RecommendationRead",
    "RecoveryCodesRead",
    "Redeemed",
    "RedeemedGiftType0",
    "RedeemIn",
    "Redemption",
    "RedemptionRead",
    "RedemptionStatus",
    "ReferralPage",
    "ReferralProgramIn",
    "ReferralProgramInMinOrder",
    "ReferralProgramRead",
    "ReferralProgramReadMinOrder",
    "ReferralRead",
    "ReferralReadHistoryItem",
    "ReferralReadRewardType0",
    "ReferralRef",
    "ReferralStatus",
    "Refusal",
    "Rejection",
    "ReleaseIn",
    "RenderedRead",
    "ResendIn",
    "Resolution",
    "ResolutionOfferType0",
    "ResolutionReasonType0",
    "ReturnLineIn",
    "RevealIn",
    "RevealRead",
    "RevenueDifference",
    "ReviewData",
    "ReviewPublishedEvent",
    "ReviewRemovedData",
    "ReviewRemovedEvent",
    "Reward",
    "RewardIn",
    "RewardRedemptionRead",
    "RewardRedemptionReadName",
    "RewardRedemptionStatus",
    "RewardsReferrals",
    "RewardsReferralsChannelsItem",
    "RewardStatus",
    "RoleIn",
    "RoleRead",
    "RoleReadList",
    "RoleUpdate",
    "RollbackIn",
    "RotateIn",
    "RuleMiss",
    "RuleOutcome",
    "RuleSpec",
    "SavePreferencesPreferencesTokenPostBody",
    "Season",
    "SeasonCopy",
    "SeasonList",
    "SeasonSpec",
    "SecondOrderBucket",
    "SecondOrderReport",
    "SecretRead",
    "SegmentFigures",
    "SegmentsSummary",
    "SelfReferralRule",
    "SesEventsApiV1ProvidersSesEventsPostBody",
    "SessionRead",
    "SessionStage",
    "SessionStarted",
    "ShareIn",
    "ShareRead",
    "Shipping",
    "ShippingChannelsItem",
    "Signals",
    "SignIn",
    "SimilarityRule",
    "SimpleRule",
    "SkippedCount",
    "SpendRead",
    "Stacking",
    "StaffUserCreate",
    "StaffUserRead",
    "StaffUserUpdate",
    "StatusChangeRead",
    "StreakRead",
    "StreakReadList",
    "StreakReadPeriod",
    "StreakSpec",
    "StreakSpecPeriod",
    "SubscriptionPending",
    "SuppressionIn",
    "SuppressionRead",
    "SuppressionReason",
    "SurveyAnsweredEvent",
    "SurveyChannel",
    "SurveyData",
    "Targeting",
    "TemplateIn",
    "TemplateListItem",
    "TemplateListItemList",
    "TemplateListItemLocales",
    "TemplateLocaleRead",
    "TemplateVersionCreated",
    "TemplateVersionRead",
    "TemplateVersions",
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
    "TimelineItem",
    "TimelineItemData",
    "TimelinePage",
    "Topic",
    "TopicPreferenceRead",
    "Totals",
    "TwilioSmsApiV1ProvidersTwilioSmsPostBody",
    "TwoFactorCode",
    "UnsubscribeUnsubscribeTokenPostBody",
    "Uplift",
    "ValidateIn",
    "Validity",
    "ValidityDaysOfWeekItem",
    "Variant",
    "VelocityRule",
    "Via",
    "WebhookAnswer",
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
