"""The newsletter admin as Wagtail view sets: each has its URL namespace (``newsletter_sends:
detail``...) and its menu item, shown to whoever its permission policy lets in. The
"Newsletter" menu groups them. Every address is as before (``/admin/newsletter/...``)."""

from django.urls import path, reverse
from django.utils.html import format_html

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from comms.validators import no_control_characters
from newsletter.models import InboundMessage, MailingList, Subscriber
from newsletter.selectors import mailing_lists_with_counts
from newsletter.views import issues, reports, schedule, sends, subscribers
from newsletter.views.permissions import send_permission_policy, subscriber_permission_policy


class LinksColumn(Column):
    """Links to views of the row's object, given as (label, URL name taking its pk)."""

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


class MailingListIndexView(IndexView):
    """The lists with their counts and the directory groups they follow, in a fixed number of
    queries (``mailing_lists_with_counts``)."""

    def get_base_queryset(self):
        return mailing_lists_with_counts()


class MailingListViewSet(NoControlCharactersMixin, ModelViewSet):
    model = MailingList
    header_fields = ("name", "from_name", "reply_to")
    icon = "mail"
    menu_label = "Mailing lists"
    url_prefix = "newsletter/lists"
    name = "newsletter_mailinglist"
    form_fields = ["name", "description", "from_name", "reply_to", "directory_groups"]
    search_fields = ["name"]
    search_backend_name = None
    list_display = [
        "name",
        "from_name",
        Column("active", label="Subscribed"),
        Column("members_from", label="Members from"),
        LinksColumn(
            "export", [("Export CSV", "newsletter_subscriber_data:list_csv")], label="Export"
        ),
    ]

    index_view_class = MailingListIndexView


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
                ("Export data", "newsletter_subscriber_data:personal_data"),
                ("Erase", "newsletter_subscriber_data:erase"),
            ],
            label="Personal data",
        ),
    ]
    list_filter = ["status", "lists"]
    list_per_page = 50
    delete_view_class = subscribers.SubscriberDeleteView


class InboundMessageViewSet(ModelViewSet):
    """Newsletter › Bounces: what came back (bounces, complaints, unsubscribes by mail), the
    messages the parser did not understand first among them, each with its text, and a form
    that marks one as reviewed."""

    model = InboundMessage
    icon = "warning"
    menu_label = "Bounces"
    url_prefix = "newsletter/bounces"
    name = "newsletter_bounces"
    add_to_admin_menu = False
    form_fields = ["status"]
    list_display = ["received_at", "kind", "status", "subject", "sender", "address", "reason"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "sender", "address"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        "received_at",
        "source",
        "kind",
        "status",
        "subject",
        "sender",
        "address",
        "reason",
        "delivery",
        "subscriber",
        "raw_text",
    ]
    list_per_page = 50
    copy_view_enabled = False


class PolicyMenuItem(MenuItem):
    """A menu item shown to whoever has ``action`` on ``policy``."""

    def __init__(self, *args, policy, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy, self.action = policy, action

    def is_shown(self, request):
        return self.policy.user_has_permission(request.user, self.action)


class PolicyMenuViewSet(ViewSet):
    """A view set whose menu item needs ``menu_permission`` on ``permission_policy``."""

    permission_policy = None
    menu_permission = "view"

    def get_menu_item(self, order=None):
        return PolicyMenuItem(
            self.menu_label,
            self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            policy=self.permission_policy,
            action=self.menu_permission,
        )


class SendViewSet(PolicyMenuViewSet):
    """Newsletter › Sends: the listing, each send's report, progress, actions and CSV."""

    name = "newsletter_sends"
    url_prefix = "newsletter/sends"
    icon = "mail"
    menu_label = "Sends"
    menu_order = 300
    permission_policy = send_permission_policy

    def get_urlpatterns(self):
        return [
            path("", sends.SendIndexView.as_view(), name="index"),
            path("<int:pk>/", sends.SendDetailView.as_view(), name="detail"),
            path("<int:pk>/progress.json", sends.SendProgressView.as_view(), name="progress"),
            path("<int:pk>/action/", sends.SendActionView.as_view(), name="action"),
            path(
                "<int:pk>/deliveries.csv",
                sends.SendDeliveriesCsvView.as_view(),
                name="deliveries_csv",
            ),
        ]


class SubscriberDataViewSet(PolicyMenuViewSet):
    """Newsletter › Import subscribers, and the CSV, data and erasure views the lists' and
    subscribers' listings link to."""

    name = "newsletter_subscriber_data"
    url_prefix = "newsletter"
    icon = "upload"
    menu_label = "Import subscribers"
    menu_order = 400
    permission_policy = subscriber_permission_policy
    menu_permission = "add"

    def get_urlpatterns(self):
        return [
            path("import/", subscribers.SubscriberImportView.as_view(), name="import"),
            path(
                "lists/<int:pk>/export.csv",
                subscribers.MailingListCsvView.as_view(),
                name="list_csv",
            ),
            path(
                "subscribers/<int:pk>/privacy/",
                subscribers.SubscriberEraseView.as_view(),
                name="erase",
            ),
            path(
                "subscribers/<int:pk>/data.json",
                subscribers.SubscriberDataView.as_view(),
                name="personal_data",
            ),
        ]


class AssembleMenuItem(MenuItem):
    """Shown to whoever may add pages under /newsletters/ (page permissions, not models')."""

    def is_shown(self, request):
        return issues.user_can_assemble(request.user)


class IssueViewSet(ViewSet):
    """What comms leads do to an issue beyond editing it: assemble a new one from the pack
    outline (the menu item), send a test, schedule a send, share it publicly, read its
    engagement report (the issue's header buttons, ``newsletter.wagtail_hooks``)."""

    name = "newsletter_issues"
    url_prefix = "newsletter"
    icon = "plus"
    menu_label = "New issue from the pack outline"
    menu_order = 100
    menu_item_class = AssembleMenuItem

    def get_urlpatterns(self):
        return [
            path("assemble/", issues.AssembleView.as_view(), name="assemble"),
            path("test/<int:pk>/", issues.TestSendView.as_view(), name="test"),
            path("share/<int:pk>/", issues.ShareView.as_view(), name="share"),
            path("schedule/<int:pk>/", schedule.ScheduleView.as_view(), name="schedule"),
            path("report/<int:pk>/", reports.IssueReportView.as_view(), name="report"),
            path(
                "report/<int:pk>/days.csv",
                reports.IssueReportDaysCsvView.as_view(),
                name="report_days_csv",
            ),
            path(
                "report/<int:pk>/links.csv",
                reports.IssueReportLinksCsvView.as_view(),
                name="report_links_csv",
            ),
        ]


class NewsletterGroup(ViewSetGroup):
    """The "Newsletter" menu. Other apps may add items through the submenu hook."""

    menu_label = "Newsletter"
    menu_icon = "mail"
    menu_order = 250
    items = (
        MailingListViewSet,
        SubscriberViewSet,
        IssueViewSet,
        SendViewSet,
        InboundMessageViewSet,
        SubscriberDataViewSet,
    )
    submenu_hook = "register_newsletter_menu_item"
