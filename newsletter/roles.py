"""What each portal role may do with newsletters (collected by
``comms.roles.model_permissions``)."""

from comms.roles import COMMS_LEADS

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    COMMS_LEADS: (
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
        # Returned messages (bounces): read them, and mark the ones for review as reviewed.
        "newsletter.view_inboundmessage",
        "newsletter.change_inboundmessage",
    ),
}
