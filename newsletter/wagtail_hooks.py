"""The newsletter in the Wagtail admin: a "Newsletter" menu with mailing lists, subscribers,
sends and the import; "Schedule send" on each issue; the audit-log actions."""

from django.urls import path, reverse
from django.utils.html import format_html

from wagtail import hooks
from wagtail.actions.delete import DeleteAction
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from comms.page_viewsets import placeholder_guard_page_viewset
from comms.validators import no_control_characters
from newsletter import admin_views, issue_admin_views
from newsletter.models import MailingList, NewsletterIndexPage, NewsletterIssuePage, Subscriber
from newsletter.selectors import issues_for_dashboard, mailing_lists_with_counts
from newsletter.services.sends import user_can_schedule
from newsletter.services.sharing import SHARE_ACTION, UNSHARE_ACTION, user_can_share
from newsletter.services.subscribers import subscriber_erase
from newsletter.services.testsend import TEST_SEND_ACTION


class LinksColumn(Column):
    def __init__(self, name, links, **kwargs):
        super().__init__(name, **kwargs)
        self.links = links

    def get_value(self, instance):
        return format_html(
            " · ".join(['<a href="{}">{}</a>'] * len(self.links)),
            *[
                part
                for label, url_name in self.links
                for part in (reverse(url_name, args=[instance.pk]), label)
            ],
        )


class NoControlCharactersMixin:
    """Form fields named in ``header_fields`` end up in email headers (names, addresses):
    they refuse control characters (line breaks, NUL, ...) with a message saying so."""

    header_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, **kwargs)
        if formfield is not None and db_field.name in self.header_fields:
            formfield.validators.append(no_control_characters)
        return formfield


class MailingListViewSet(NoControlCharactersMixin, ModelViewSet):
    model = MailingList
    header_fields = ("name", "from_name", "reply_to")
    icon = "mail"
    menu_label = "Mailing lists"
    url_prefix = "newsletter/lists"
    name = "newsletter_mailinglist"
    form_fields = ["name", "description", "from_name", "reply_to"]
    search_fields = ["name"]
    search_backend_name = None
    list_display = [
        "name",
        "from_name",
        Column("active", label="Subscribed"),
        LinksColumn("export", [("Export CSV", "newsletter_list_export")], label="Export"),
    ]

    def get_queryset(self, request):
        return mailing_lists_with_counts()


class SubscriberViewSet(NoControlCharactersMixin, ModelViewSet):
    model = Subscriber
    header_fields = ("email", "name")
    icon = "user"
    menu_label = "Subscribers"
    url_prefix = "newsletter/subscribers"
    name = "newsletter_subscriber"
    form_fields = ["email", "name", "status"]
    # Django ORM search on indexed columns: fast at 50,000 rows without a search index.
    search_fields = ["email", "name"]
    search_backend_name = None
    list_display = [
        "email",
        "name",
        "status",
        "created_at",
        LinksColumn(
            "privacy",
            [
                ("Export data", "newsletter_subscriber_data"),
                ("Erase", "newsletter_subscriber_privacy"),
            ],
            label="Personal data",
        ),
    ]
    list_filter = ["status", "lists"]
    list_per_page = 50
    delete_view_class = admin_views.SubscriberDeleteView


class SubscriberEraseAction(DeleteAction):
    """Wagtail's Delete of a subscriber (its delete view, and any other admin path that asks
    the action registry to delete one) is the GDPR erasure: a plain delete would leave the
    address in send reports and in the history."""

    def _delete(self):
        return subscriber_erase(subscriber=self.instance, user=self.user)


@hooks.register("register_actions")
def register_subscriber_erase_action(registry):
    registry.register(Subscriber, SubscriberEraseAction)


class NewsletterGroup(ViewSetGroup):
    """The "Newsletter" menu: the group adds its two viewsets; the other items come from the
    submenu hook. (A viewset in ``items`` must not also name the hook, or it is listed twice.)"""

    menu_label = "Newsletter"
    menu_icon = "mail"
    menu_order = 250
    items = (MailingListViewSet, SubscriberViewSet)
    submenu_hook = "register_newsletter_menu_item"


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return NewsletterGroup()


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_newsletter_menu_item")
def sends_menu_item():
    return PermissionMenuItem(
        "Sends",
        reverse("newsletter_send_list"),
        icon_name="mail",
        order=300,
        permission="newsletter.view_send",
    )


@hooks.register("register_newsletter_menu_item")
def import_menu_item():
    return PermissionMenuItem(
        "Import subscribers",
        reverse("newsletter_import"),
        icon_name="upload",
        order=400,
        permission="newsletter.add_subscriber",
    )


class AssembleMenuItem(MenuItem):
    """Shown to whoever may add pages under /newsletters/ (page permissions, not models')."""

    def is_shown(self, request):
        archive = NewsletterIndexPage.objects.first()
        return archive is not None and archive.permissions_for_user(request.user).can_add_subpage()


@hooks.register("register_newsletter_menu_item")
def assemble_menu_item():
    return AssembleMenuItem(
        "New issue from the pack outline",
        reverse("newsletter_assemble"),
        icon_name="plus",
        order=100,
    )


@hooks.register("register_admin_viewset")
def register_issue_viewset():
    return placeholder_guard_page_viewset(NewsletterIssuePage, icon="mail")


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [
        path("newsletter/assemble/", issue_admin_views.assemble, name="newsletter_assemble"),
        path("newsletter/test/<int:page_id>/", issue_admin_views.send_test, name="newsletter_test"),
        path("newsletter/share/<int:page_id>/", issue_admin_views.share, name="newsletter_share"),
        path(
            "newsletter/schedule/<int:page_id>/", admin_views.schedule, name="newsletter_schedule"
        ),
        path("newsletter/sends/", admin_views.send_list, name="newsletter_send_list"),
        path(
            "newsletter/sends/<int:send_id>/",
            admin_views.send_detail,
            name="newsletter_send_detail",
        ),
        path(
            "newsletter/sends/<int:send_id>/progress.json",
            admin_views.send_progress,
            name="newsletter_send_progress",
        ),
        path(
            "newsletter/sends/<int:send_id>/action/",
            admin_views.send_action,
            name="newsletter_send_action",
        ),
        path(
            "newsletter/sends/<int:send_id>/deliveries.csv",
            admin_views.send_deliveries_csv,
            name="newsletter_send_csv",
        ),
        path("newsletter/import/", admin_views.subscribers_import_view, name="newsletter_import"),
        path(
            "newsletter/lists/<int:list_id>/export.csv",
            admin_views.mailing_list_export,
            name="newsletter_list_export",
        ),
        path(
            "newsletter/subscribers/<int:subscriber_id>/privacy/",
            admin_views.subscriber_privacy,
            name="newsletter_subscriber_privacy",
        ),
        path(
            "newsletter/subscribers/<int:subscriber_id>/data.json",
            admin_views.subscriber_data_export,
            name="newsletter_subscriber_data",
        ),
    ]


@hooks.register("register_page_header_buttons")
def schedule_send_button(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if isinstance(specific, NewsletterIssuePage) and user_can_schedule(user):
        yield Button(
            "Schedule send",
            reverse("newsletter_schedule", args=[page.pk]),
            icon_name="mail",
            priority=5,
        )
    if isinstance(specific, NewsletterIssuePage) and page.permissions_for_user(user).can_edit():
        yield Button(
            "Send me a test",
            reverse("newsletter_test", args=[page.pk]),
            icon_name="mail",
            priority=6,
        )
    if isinstance(specific, NewsletterIssuePage) and user_can_share(user):
        yield Button(
            "Public address",
            reverse("newsletter_share", args=[page.pk]),
            icon_name="link",
            priority=7,
        )
    if isinstance(specific, NewsletterIndexPage) and (
        page.permissions_for_user(user).can_add_subpage()
    ):
        yield Button(
            "New issue from the pack outline",
            reverse("newsletter_assemble"),
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
    if request.user.has_perm("newsletter.view_send"):
        panels.append(NewsletterDashboardPanel())
