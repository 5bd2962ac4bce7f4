from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.journeys_config import JourneysConfig
    from ..models.rule_spec import RuleSpec
    from ..models.tier_program import TierProgram
    from ..models.whole_program_campaigns_type_0 import WholeProgramCampaignsType0
    from ..models.whole_program_templates_type_0 import WholeProgramTemplatesType0


T = TypeVar("T", bound="WholeProgram")


@_attrs_define
class WholeProgram:
    """``program.yaml``: rules, tiers, journeys, templates and campaigns; each section
    optional (left out: left as it is).

        Attributes:
            version (Literal[1] | Unset):  Default: 1.
            rules (list[RuleSpec] | None | Unset): the whole rule set (rules not listed are retired); absent: unchanged
            tiers (None | TierProgram | Unset): absent: unchanged
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
    journeys: JourneysConfig | None | Unset = UNSET
    templates: None | Unset | WholeProgramTemplatesType0 = UNSET
    campaigns: None | Unset | WholeProgramCampaignsType0 = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.journeys_config import JourneysConfig  # noqa: PLC0415
        from ..models.tier_program import TierProgram  # noqa: PLC0415
        from ..models.whole_program_campaigns_type_0 import WholeProgramCampaignsType0  # noqa: PLC0415
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
        from ..models.rule_spec import RuleSpec  # noqa: PLC0415
        from ..models.tier_program import TierProgram  # noqa: PLC0415
        from ..models.whole_program_campaigns_type_0 import WholeProgramCampaignsType0  # noqa: PLC0415
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
            journeys=journeys,
            templates=templates,
            campaigns=campaigns,
        )

        return whole_program
