"""Subscribers in the admin beyond their view set: import, a list's CSV, a person's data
(UK GDPR subject access) and erasure. Thin: ``newsletter.services.subscribers`` does the work."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import View

from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from newsletter.forms import ImportForm
from newsletter.models import MailingList, Subscriber
from newsletter.selectors import mailing_list_memberships, subscriber_personal_data
from newsletter.services.subscribers import subscriber_erase, subscribers_import
from newsletter.views.exports import CsvExportView
from newsletter.views.permissions import subscriber_permission_policy

ERASED_MESSAGE = (
    "Subscriber erased: their address and name are gone from every list, send report and "
    "history entry; {count} delivery record(s) stay, anonymised, in the send totals."
)


class SubscriberPermissionMixin(PermissionCheckedMixin):
    permission_policy = subscriber_permission_policy


class SubscriberImportView(SubscriberPermissionMixin, View):
    """Upload a CSV to a list (a new name creates it); every wrong row is reported."""

    permission_required = "add"

    def get(self, request):
        return self.respond(request)

    def post(self, request):
        return self.respond(request)

    def respond(self, request):
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = subscribers_import(
                mailing_list_name=form.cleaned_data["mailing_list_name"],
                csv_file=form.cleaned_data["csv_file"],
            )
            if report.ok:
                messages.success(request, report.summary())
            else:
                messages.error(request, report.summary())
        return TemplateResponse(
            request,
            "newsletter/admin/import.html",
            {"form": form, "report": report, "lists": MailingList.objects.all()},
        )


class MailingListCsvView(SubscriberPermissionMixin, CsvExportView):
    """A list's members, unsubscribed ones included, by address."""

    permission_required = "view"
    list_export = [
        "subscriber.email",
        "subscriber.name",
        "subscriber.status",
        "subscribed_at",
        "unsubscribed_at",
    ]
    export_headings = {
        "subscriber.email": "email",
        "subscriber.name": "name",
        "subscriber.status": "status",
        "subscribed_at": "subscribed_at",
        "unsubscribed_at": "unsubscribed_at",
    }

    @cached_property
    def mailing_list(self):
        return get_object_or_404(MailingList, pk=self.kwargs["pk"])

    def get_queryset(self):
        return mailing_list_memberships(self.mailing_list)

    def get_filename(self):
        return self.mailing_list.name.replace('"', "")


class SubscriberDeleteView(DeleteView):
    """Wagtail's Delete of a subscriber, which erases them (``SubscriberEraseAction``): the
    page says so, and the message after it names no one."""

    @property
    def confirmation_message(self):
        return (
            "Deleting a subscriber erases them (UK GDPR): their address and name are removed "
            "from every list, send report and history entry. Send reports keep their totals, "
            "with the deliveries anonymised. This cannot be undone."
        )

    def delete_action(self):
        self.anonymised = self.action_class(self.object, user=self.request.user).execute(
            skip_permission_checks=True
        )

    def get_success_message(self):
        return ERASED_MESSAGE.format(count=self.anonymised)


class SubscriberEraseView(SubscriberPermissionMixin, View):
    """Erasure by typing the address to confirm it."""

    permission_required = "delete"

    def get(self, request, pk: int):
        return self.respond(request, get_object_or_404(Subscriber, pk=pk))

    def post(self, request, pk: int):
        subscriber = get_object_or_404(Subscriber, pk=pk)
        if request.POST.get("confirm") == subscriber.email:
            count = subscriber_erase(subscriber=subscriber, user=request.user)
            messages.success(request, ERASED_MESSAGE.format(count=count))
            return redirect(reverse("newsletter_subscriber:index"))
        messages.error(request, "Type the subscriber's address exactly to confirm the erasure.")
        return self.respond(request, subscriber)

    def respond(self, request, subscriber):
        return TemplateResponse(
            request, "newsletter/admin/subscriber_privacy.html", {"subscriber": subscriber}
        )


class SubscriberDataView(SubscriberPermissionMixin, View):
    """Everything held about one person, as a JSON download."""

    permission_required = "view"

    def get(self, request, pk: int):
        subscriber = get_object_or_404(Subscriber, pk=pk)
        response = HttpResponse(
            json.dumps(subscriber_personal_data(subscriber), indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = f'attachment; filename="subscriber-{subscriber.pk}.json"'
        return response
