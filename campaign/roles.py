"""What each portal role may do with the campaign (collected by
``comms.roles.model_permissions``)."""

from comms.roles import EDITORS, SENIOR_OWNERS

_CONTENT = (
    "campaign.add_campaignintro",
    "campaign.change_campaignintro",
    "campaign.add_activity",
    "campaign.change_activity",
    "campaign.delete_activity",
    "campaign.add_endorser",
    "campaign.change_endorser",
    "campaign.delete_endorser",
    "campaign.add_kpi",
    "campaign.change_kpi",
    "campaign.delete_kpi",
    "campaign.change_planquestion",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: _CONTENT,
    # Only senior owners publish the campaign introduction.
    SENIOR_OWNERS: (*_CONTENT, "campaign.publish_campaignintro"),
}
