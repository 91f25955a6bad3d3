"""The newsletter in the Wagtail admin: the "Newsletter" menu of view sets
(``newsletter.views.viewsets``); "Schedule send", "Send me a test", "Public address" and
"Engagement" on each issue; Delete of a subscriber as erasure; the audit-log actions; the
dashboard panel."""

from django.urls import reverse

from wagtail import hooks
from wagtail.actions.delete import DeleteAction
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from comms.page_viewsets import placeholder_guard_page_viewset
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscriber
from newsletter.selectors import issues_for_dashboard
from newsletter.services.audiences import LOG_ACTION as LIST_SYNC_ACTION
from newsletter.services.sharing import SHARE_ACTION, UNSHARE_ACTION
from newsletter.services.subscribers import subscriber_erase
from newsletter.services.testsend import TEST_SEND_ACTION
from newsletter.views.permissions import send_permission_policy
from newsletter.views.viewsets import NewsletterGroup


class SubscriberEraseAction(DeleteAction):
    """Wagtail's Delete of a subscriber (its delete view, and any other admin path that asks
    the action registry to delete one) is the GDPR erasure: a plain delete would leave the
    address in send reports and in the history."""

    def _delete(self):
        return subscriber_erase(subscriber=self.instance, user=self.user)


@hooks.register("register_actions")
def register_subscriber_erase_action(registry):
    registry.register(Subscriber, SubscriberEraseAction)


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return NewsletterGroup()


@hooks.register("register_admin_viewset")
def register_issue_viewset():
    return placeholder_guard_page_viewset(NewsletterIssuePage, icon="mail")


@hooks.register("register_page_header_buttons")
def schedule_send_button(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    may_send = send_permission_policy.user_has_permission(user, "schedule")
    if isinstance(specific, NewsletterIssuePage) and may_send:
        yield Button(
            "Schedule send",
            reverse("newsletter_issues:schedule", args=[page.pk]),
            icon_name="mail",
            priority=5,
        )
    if isinstance(specific, NewsletterIssuePage) and page.permissions_for_user(user).can_edit():
        yield Button(
            "Send me a test",
            reverse("newsletter_issues:test", args=[page.pk]),
            icon_name="mail",
            priority=6,
        )
    if isinstance(specific, NewsletterIssuePage) and may_send:  # sharing: as for sending
        yield Button(
            "Public address",
            reverse("newsletter_issues:share", args=[page.pk]),
            icon_name="link",
            priority=7,
        )
    if isinstance(specific, NewsletterIssuePage) and send_permission_policy.user_has_permission(
        user, "view"
    ):
        yield Button(
            "Engagement",
            reverse("newsletter_issues:report", args=[page.pk]),
            icon_name="view",
            priority=8,
        )
    if isinstance(specific, NewsletterIndexPage) and (
        page.permissions_for_user(user).can_add_subpage()
    ):
        yield Button(
            "New issue from the pack outline",
            reverse("newsletter_issues:assemble"),
            icon_name="plus",
            priority=4,
        )


@hooks.register("register_log_actions")
def newsletter_log_actions(actions):
    actions.register_action(
        "newsletter.subscriber.erase",
        "Newsletter: subscriber erased",
        "Erased a subscriber's personal data (UK GDPR)",
    )
    actions.register_action(
        "newsletter.send.schedule", "Newsletter: send scheduled", "Scheduled a newsletter send"
    )
    actions.register_action(
        "newsletter.send.cancel", "Newsletter: send cancelled", "Cancelled a newsletter send"
    )
    actions.register_action(
        "newsletter.send.pause", "Newsletter: send paused", "Paused a newsletter send"
    )
    actions.register_action(
        "newsletter.send.resume", "Newsletter: send resumed", "Resumed a newsletter send"
    )
    actions.register_action(
        "newsletter.send.resend",
        "Newsletter: resent to failed",
        "Resent a newsletter send to its failed deliveries",
    )

    actions.register_action(
        SHARE_ACTION, "Newsletter: shared publicly", "Gave the issue a public address"
    )
    actions.register_action(
        UNSHARE_ACTION, "Newsletter: sharing stopped", "Stopped sharing the issue publicly"
    )

    @actions.register_action(TEST_SEND_ACTION)
    class TestSendFormatter(LogFormatter):
        label = "Newsletter: test sent"

        def format_message(self, log_entry):
            return f"Sent a test to {log_entry.data.get('to', 'an address')}"

    @actions.register_action(LIST_SYNC_ACTION)
    class ListSyncFormatter(LogFormatter):
        label = "Newsletter: list synced with the directory"

        def format_message(self, log_entry):
            data = log_entry.data
            return (
                f"Synced with the directory: {data.get('added', 0)} added, "
                f"{data.get('removed', 0)} removed, {data.get('unchanged', 0)} unchanged"
            )


class NewsletterDashboardPanel(Component):
    """The comms lead's dashboard: latest sends, approved issues not sent yet, drafts."""

    name = "newsletter"
    template_name = "newsletter/admin/dashboard_panel.html"
    order = 140

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(issues_for_dashboard())
        return context


@hooks.register("construct_homepage_panels")
def add_newsletter_panel(request, panels):
    if send_permission_policy.user_has_permission(request.user, "view"):
        panels.append(NewsletterDashboardPanel())
