"""The portal's four roles: the groups users are put in, and what each may do.

Model permissions are named as strings ("app_label.codename"), so this module imports no
other app. ``comms.services.roles.roles_sync`` applies it after every migrate; permissions of
models that do not exist yet are ignored until they do.
"""

EDITORS = "Research office editors"
SENIOR_OWNERS = "Senior owners"
COMMS_LEADS = "Comms leads"
STAFF = "Staff"

ALL_GROUPS = (EDITORS, SENIOR_OWNERS, COMMS_LEADS, STAFF)

# Wagtail page permissions granted on the root page, so they apply to the whole tree.
PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: ("add_page", "change_page"),
    SENIOR_OWNERS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    COMMS_LEADS: ("add_page", "change_page"),
    STAFF: (),
}

# Image and document permissions on the root collection.
COLLECTION_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: (
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ),
    SENIOR_OWNERS: (
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ),
    COMMS_LEADS: (
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ),
    STAFF: (),
}

_CONTENT = (
    "comms.change_portalsettings",
    "stats.add_source",
    "stats.change_source",
    "stats.delete_source",
    "stats.add_statistic",
    "stats.change_statistic",
    "stats.delete_statistic",
    "stats.add_metric",
    "stats.change_metric",
    "stats.add_metricvalue",
    "stats.change_metricvalue",
    "stats.delete_metricvalue",
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

# Model permissions. "wagtailadmin.access_admin" is what lets a user into /admin/.
MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: ("wagtailadmin.access_admin", *_CONTENT),
    SENIOR_OWNERS: ("wagtailadmin.access_admin", *_CONTENT, "campaign.publish_campaignintro"),
    COMMS_LEADS: (
        "wagtailadmin.access_admin",
        "newsletter.add_mailinglist",
        "newsletter.change_mailinglist",
        "newsletter.add_subscriber",
        "newsletter.change_subscriber",
        "newsletter.delete_subscriber",
        "newsletter.add_send",
        "newsletter.change_send",
        "newsletter.view_delivery",
        # Added by the sending engine (issue 8): only comms leads schedule, cancel and resend.
        "newsletter.view_mailinglist",
        "newsletter.view_subscriber",
        "newsletter.add_membership",
        "newsletter.change_membership",
        "newsletter.delete_membership",
        "newsletter.view_membership",
        "newsletter.view_send",
        "newsletter.schedule_send",
    ),
    STAFF: (),
}
