from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.journeys_config import JourneysConfig
    from ..models.referral_program_in import ReferralProgramIn
    from ..models.rule_spec import RuleSpec
    from ..models.tier_program import TierProgram
    from ..models.whole_program_badges_type_0 import WholeProgramBadgesType0
    from ..models.whole_program_campaigns_type_0 import WholeProgramCampaignsType0
    from ..models.whole_program_coupon_campaigns_type_0 import WholeProgramCouponCampaignsType0
    from ..models.whole_program_levels_type_0 import WholeProgramLevelsType0
    from ..models.whole_program_quests_type_0 import WholeProgramQuestsType0
    from ..models.whole_program_rewards_type_0 import WholeProgramRewardsType0
    from ..models.whole_program_streaks_type_0 import WholeProgramStreaksType0
    from ..models.whole_program_templates_type_0 import WholeProgramTemplatesType0


T = TypeVar("T", bound="WholeProgram")


@_attrs_define
class WholeProgram:
    """``program.yaml``: rules, tiers, coupon campaigns, rewards, the referral program,
    badges, quests, streaks, levels, journeys, templates and campaigns; each section
    optional (left out: left as it is).

        Attributes:
            version (Literal[1] | Unset):  Default: 1.
            rules (list[RuleSpec] | None | Unset): the whole rule set (rules not listed are retired); absent: unchanged
            tiers (None | TierProgram | Unset): absent: unchanged
            coupon_campaigns (None | Unset | WholeProgramCouponCampaignsType0): coupon campaigns by key, each as PUT
                /api/v1/coupon-campaigns/{key} takes it (codes are generated or issued, not kept here); one missing is paused
            rewards (None | Unset | WholeProgramRewardsType0): catalogue rewards by key, each as PUT /api/v1/rewards/{key}
                takes it; one missing is paused
            referral_program (None | ReferralProgramIn | Unset): the referral program as PUT /api/v1/referral-program takes
                it (replaced whole; `is_active: false` switches it off)
            badges (None | Unset | WholeProgramBadgesType0): badges by key; one missing is deactivated
            quests (None | Unset | WholeProgramQuestsType0): quests by key; one missing is deactivated
            streaks (None | Unset | WholeProgramStreaksType0): streaks by key; one missing is deactivated
            levels (None | Unset | WholeProgramLevelsType0): gamified levels by key; one missing is deactivated
            journeys (JourneysConfig | None | Unset): journey settings by name; a journey left out keeps its settings, one
                given is replaced whole (its fields left out take their defaults)
            templates (None | Unset | WholeProgramTemplatesType0): template sources by key and locale ({key: {en: {subject,
                text, html}}}); a new version of each whose content differs from the live one
            campaigns (None | Unset | WholeProgramCampaignsType0): campaigns by key, each as PUT /api/v1/campaigns/{key}
                takes it; a campaign left out is left as it is, one given is created or changed (a campaign that has started
                sending cannot change: campaign_not_editable)
    """

    version: Literal[1] | Unset = 1
    rules: list[RuleSpec] | None | Unset = UNSET
    tiers: None | TierProgram | Unset = UNSET
    coupon_campaigns: None | Unset | WholeProgramCouponCampaignsType0 = UNSET
    rewards: None | Unset | WholeProgramRewardsType0 = UNSET
    referral_program: None | ReferralProgramIn | Unset = UNSET
    badges: None | Unset | WholeProgramBadgesType0 = UNSET
    quests: None | Unset | WholeProgramQuestsType0 = UNSET
    streaks: None | Unset | WholeProgramStreaksType0 = UNSET
    levels: None | Unset | WholeProgramLevelsType0 = UNSET
    journeys: JourneysConfig | None | Unset = UNSET
    templates: None | Unset | WholeProgramTemplatesType0 = UNSET
    campaigns: None | Unset | WholeProgramCampaignsType0 = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.journeys_config import JourneysConfig  # noqa: PLC0415
        from ..models.referral_program_in import ReferralProgramIn  # noqa: PLC0415
        from ..models.tier_program import TierProgram  # noqa: PLC0415
        from ..models.whole_program_badges_type_0 import WholeProgramBadgesType0  # noqa: PLC0415
        from ..models.whole_program_campaigns_type_0 import WholeProgramCampaignsType0  # noqa: PLC0415
        from ..models.whole_program_coupon_campaigns_type_0 import WholeProgramCouponCampaignsType0  # noqa: PLC0415
        from ..models.whole_program_levels_type_0 import WholeProgramLevelsType0  # noqa: PLC0415
        from ..models.whole_program_quests_type_0 import WholeProgramQuestsType0  # noqa: PLC0415
        from ..models.whole_program_rewards_type_0 import WholeProgramRewardsType0  # noqa: PLC0415
        from ..models.whole_program_streaks_type_0 import WholeProgramStreaksType0  # noqa: PLC0415
        from ..models.whole_program_templates_type_0 import WholeProgramTemplatesType0  # noqa: PLC0415

        version = self.version

        rules: list[dict[str, Any]] | None | Unset
        if isinstance(self.rules, Unset):
            rules = UNSET
        elif isinstance(self.rules, list):
            rules = []
            for rules_type_0_item_data in self.rules:
                rules_type_0_item = rules_type_0_item_data.to_dict()
                rules.append(rules_type_0_item)

        else:
            rules = self.rules

        tiers: dict[str, Any] | None | Unset
        if isinstance(self.tiers, Unset):
            tiers = UNSET
        elif isinstance(self.tiers, TierProgram):
            tiers = self.tiers.to_dict()
        else:
            tiers = self.tiers

        coupon_campaigns: dict[str, Any] | None | Unset
        if isinstance(self.coupon_campaigns, Unset):
            coupon_campaigns = UNSET
        elif isinstance(self.coupon_campaigns, WholeProgramCouponCampaignsType0):
            coupon_campaigns = self.coupon_campaigns.to_dict()
        else:
            coupon_campaigns = self.coupon_campaigns

        rewards: dict[str, Any] | None | Unset
        if isinstance(self.rewards, Unset):
            rewards = UNSET
        elif isinstance(self.rewards, WholeProgramRewardsType0):
            rewards = self.rewards.to_dict()
        else:
            rewards = self.rewards

        referral_program: dict[str, Any] | None | Unset
        if isinstance(self.referral_program, Unset):
            referral_program = UNSET
        elif isinstance(self.referral_program, ReferralProgramIn):
            referral_program = self.referral_program.to_dict()
        else:
            referral_program = self.referral_program

        badges: dict[str, Any] | None | Unset
        if isinstance(self.badges, Unset):
            badges = UNSET
        elif isinstance(self.badges, WholeProgramBadgesType0):
            badges = self.badges.to_dict()
        else:
            badges = self.badges

        quests: dict[str, Any] | None | Unset
        if isinstance(self.quests, Unset):
            quests = UNSET
        elif isinstance(self.quests, WholeProgramQuestsType0):
            quests = self.quests.to_dict()
        else:
            quests = self.quests

        streaks: dict[str, Any] | None | Unset
        if isinstance(self.streaks, Unset):
            streaks = UNSET
        elif isinstance(self.streaks, WholeProgramStreaksType0):
            streaks = self.streaks.to_dict()
        else:
            streaks = self.streaks

        levels: dict[str, Any] | None | Unset
        if isinstance(self.levels, Unset):
            levels = UNSET
        elif isinstance(self.levels, WholeProgramLevelsType0):
            levels = self.levels.to_dict()
        else:
            levels = self.levels

        journeys: dict[str, Any] | None | Unset
        if isinstance(self.journeys, Unset):
            journeys = UNSET
        elif isinstance(self.journeys, JourneysConfig):
            journeys = self.journeys.to_dict()
        else:
            journeys = self.journeys

        templates: dict[str, Any] | None | Unset
        if isinstance(self.templates, Unset):
            templates = UNSET
        elif isinstance(self.templates, WholeProgramTemplatesType0):
            templates = self.templates.to_dict()
        else:
            templates = self.templates

        campaigns: dict[str, Any] | None | Unset
        if isinstance(self.campaigns, Unset):
            campaigns = UNSET
        elif isinstance(self.campaigns, WholeProgramCampaignsType0):
            campaigns = self.campaigns.to_dict()
        else:
            campaigns = self.campaigns

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version
        if rules is not UNSET:
            field_dict["rules"] = rules
        if tiers is not UNSET:
            field_dict["tiers"] = tiers
        if coupon_campaigns is not UNSET:
            field_dict["coupon_campaigns"] = coupon_campaigns
        if rewards is not UNSET:
            field_dict["rewards"] = rewards
        if referral_program is not UNSET:
            field_dict["referral_program"] = referral_program
        if badges is not UNSET:
            field_dict["badges"] = badges
        if quests is not UNSET:
            field_dict["quests"] = quests
        if streaks is not UNSET:
            field_dict["streaks"] = streaks
        if levels is not UNSET:
            field_dict["levels"] = levels
        if journeys is not UNSET:
            field_dict["journeys"] = journeys
        if templates is not UNSET:
            field_dict["templates"] = templates
        if campaigns is not UNSET:
            field_dict["campaigns"] = campaigns

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.journeys_config import JourneysConfig  # noqa: PLC0415
        from ..models.referral_program_in import ReferralProgramIn  # noqa: PLC0415
        from ..models.rule_spec import RuleSpec  # noqa: PLC0415
        from ..models.tier_program import TierProgram  # noqa: PLC0415
        from ..models.whole_program_badges_type_0 import WholeProgramBadgesType0  # noqa: PLC0415
        from ..models.whole_program_campaigns_type_0 import WholeProgramCampaignsType0  # noqa: PLC0415
        from ..models.whole_program_coupon_campaigns_type_0 import WholeProgramCouponCampaignsType0  # noqa: PLC0415
        from ..models.whole_program_levels_type_0 import WholeProgramLevelsType0  # noqa: PLC0415
        from ..models.whole_program_quests_type_0 import WholeProgramQuestsType0  # noqa: PLC0415
        from ..models.whole_program_rewards_type_0 import WholeProgramRewardsType0  # noqa: PLC0415
        from ..models.whole_program_streaks_type_0 import WholeProgramStreaksType0  # noqa: PLC0415
        from ..models.whole_program_templates_type_0 import WholeProgramTemplatesType0  # noqa: PLC0415

        d = dict(src_dict)
        version = cast(Literal[1] | Unset, d.pop("version", UNSET))
        if version != 1 and not isinstance(version, Unset):
            raise ValueError(f"version must match const 1, got '{version}'")

        def _parse_rules(data: object) -> list[RuleSpec] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                rules_type_0 = []
                _rules_type_0 = data
                for rules_type_0_item_data in _rules_type_0:
                    rules_type_0_item = RuleSpec.from_dict(rules_type_0_item_data)

                    rules_type_0.append(rules_type_0_item)

                return rules_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RuleSpec] | None | Unset, data)

        rules = _parse_rules(d.pop("rules", UNSET))

        def _parse_tiers(data: object) -> None | TierProgram | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tiers_type_0 = TierProgram.from_dict(data)

                return tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TierProgram | Unset, data)

        tiers = _parse_tiers(d.pop("tiers", UNSET))

        def _parse_coupon_campaigns(data: object) -> None | Unset | WholeProgramCouponCampaignsType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                coupon_campaigns_type_0 = WholeProgramCouponCampaignsType0.from_dict(data)

                return coupon_campaigns_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WholeProgramCouponCampaignsType0, data)

        coupon_campaigns = _parse_coupon_campaigns(d.pop("coupon_campaigns", UNSET))

        def _parse_rewards(data: object) -> None | Unset | WholeProgramRewardsType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rewards_type_0 = WholeProgramRewardsType0.from_dict(data)

                return rewards_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WholeProgramRewardsType0, data)

        rewards = _parse_rewards(d.pop("rewards", UNSET))

        def _parse_referral_program(data: object) -> None | ReferralProgramIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                referral_program_type_0 = ReferralProgramIn.from_dict(data)

                return referral_program_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReferralProgramIn | Unset, data)

        referral_program = _parse_referral_program(d.pop("referral_program", UNSET))

        def _parse_badges(data: object) -> None | Unset | WholeProgramBadgesType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                badges_type_0 = WholeProgramBadgesType0.from_dict(data)

                return badges_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WholeProgramBadgesType0, data)

        badges = _parse_badges(d.pop("badges", UNSET))

        def _parse_quests(data: object) -> None | Unset | WholeProgramQuestsType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quests_type_0 = WholeProgramQuestsType0.from_dict(data)

                return quests_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WholeProgramQuestsType0, data)

        quests = _parse_quests(d.pop("quests", UNSET))

        def _parse_streaks(data: object) -> None | Unset | WholeProgramStreaksType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                streaks_type_0 = WholeProgramStreaksType0.from_dict(data)

                return streaks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WholeProgramStreaksType0, data)

        streaks = _parse_streaks(d.pop("streaks", UNSET))

        def _parse_levels(data: object) -> None | Unset | WholeProgramLevelsType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                levels_type_0 = WholeProgramLevelsType0.from_dict(data)

                return levels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WholeProgramLevelsType0, data)

        levels = _parse_levels(d.pop("levels", UNSET))

        def _parse_journeys(data: object) -> JourneysConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                journeys_type_0 = JourneysConfig.from_dict(data)

                return journeys_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JourneysConfig | None | Unset, data)

        journeys = _parse_journeys(d.pop("journeys", UNSET))

        def _parse_templates(data: object) -> None | Unset | WholeProgramTemplatesType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                templates_type_0 = WholeProgramTemplatesType0.from_dict(data)

                return templates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WholeProgramTemplatesType0, data)

        templates = _parse_templates(d.pop("templates", UNSET))

        def _parse_campaigns(data: object) -> None | Unset | WholeProgramCampaignsType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                campaigns_type_0 = WholeProgramCampaignsType0.from_dict(data)

                return campaigns_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WholeProgramCampaignsType0, data)

        campaigns = _parse_campaigns(d.pop("campaigns", UNSET))

        whole_program = cls(
            version=version,
            rules=rules,
            tiers=tiers,
            coupon_campaigns=coupon_campaigns,
            rewards=rewards,
            referral_program=referral_program,
            badges=badges,
            quests=quests,
            streaks=streaks,
            levels=levels,
            journeys=journeys,
            templates=templates,
            campaigns=campaigns,
        )

        return whole_program
