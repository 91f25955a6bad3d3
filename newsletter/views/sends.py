"""The sends in the admin: the listing, one send's report and progress, its actions (pause,
resume, cancel, resend the failed) and its deliveries as CSV. Thin: the services check
permissions again and do the work."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from newsletter.models import Delivery, Send
from newsletter.scheduling import format_london
from newsletter.selectors import (
    send_deliveries,
    send_status,
    send_unsubscribed_since,
    sends_for_admin,
    sends_with_counts,
)
from newsletter.services import sends as send_services
from newsletter.views.exports import CsvExportView
from newsletter.views.permissions import RefusalPageMixin, send_permission_policy


class SendPermissionMixin(PermissionCheckedMixin):
    permission_policy = send_permission_policy
    permission_required = "view"


class SendIndexView(SendPermissionMixin, TemplateView):
    template_name = "newsletter/admin/send_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(sends_with_counts(), 25).get_page(self.request.GET.get("p"))
        return super().get_context_data(page=page, **kwargs)


class SendDetailView(SendPermissionMixin, TemplateView):
    """A send's progress and report, its deliveries filtered by ``?status=``."""

    template_name = "newsletter/admin/send_detail.html"

    def get_context_data(self, **kwargs):
        send = get_object_or_404(sends_for_admin(), pk=self.kwargs["pk"])
        status_filter = self.request.GET.get("status") or ""
        if status_filter not in Delivery.Status.values:
            status_filter = ""
        deliveries = Paginator(send_deliveries(send, status=status_filter), 50).get_page(
            self.request.GET.get("p")
        )
        return super().get_context_data(
            send=send,
            status=send_status(send),
            unsubscribed_since=send_unsubscribed_since(send),
            deliveries=deliveries,
            status_filter=status_filter,
            statuses=Delivery.Status.choices,
            can_control=self.user_has_permission("schedule"),
            scheduled_london=format_london(send.scheduled_at),
            **kwargs,
        )


class SendProgressView(SendPermissionMixin, View):
    """The JSON the report page polls (``send_status``)."""

    def get(self, request, pk: int):
        return JsonResponse(send_status(get_object_or_404(Send, pk=pk)))


class SendActionView(RefusalPageMixin, View):
    """POST ``action=pause|resume|cancel|resend``; back to the send's report with a message."""

    http_method_names = ["post"]
    permission_policy = send_permission_policy
    permission_required = "schedule"
    refusal_template_name = "newsletter/admin/forbidden.html"

    MESSAGES = {
        "pause": "Send paused: each worker stops after the message it is sending. Press Resume "
        "to carry on where it stopped.",
        "resume": "Send resumed.",
    }

    @cached_property
    def services(self):
        return {"pause": send_services.send_pause, "resume": send_services.send_resume}

    def post(self, request, pk: int):
        send = get_object_or_404(Send, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "resend":
                count = send_services.send_resend_failed(send=send, user=request.user)
                messages.success(request, f"{count} failed delivery(ies) will be sent again.")
            elif action == "cancel":
                send = send_services.send_cancel(send=send, user=request.user)
                status = send_status(send)
                messages.success(
                    request,
                    f"Send cancelled; {status['cancelled']} deliveries will not be sent."
                    + (f" {status['sent']} had already been sent." if status["sent"] else ""),
                )
            elif action in self.services:
                self.services[action](send=send, user=request.user)
                messages.success(request, self.MESSAGES[action])
            else:
                messages.error(request, "Unknown action.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("newsletter_sends:detail", send.pk)


class SendDeliveriesCsvView(SendPermissionMixin, CsvExportView):
    """The send's deliveries, all or one ``?status=``, one row per address."""

    list_export = ["email", "name", "status", "attempts", "sent_at", "smtp_reply", "message_id"]
    export_headings = {field: field for field in list_export}

    @cached_property
    def send(self):
        return get_object_or_404(Send, pk=self.kwargs["pk"])

    def get_queryset(self):
        return send_deliveries(self.send, status=self.request.GET.get("status") or None)

    def get_filename(self):
        return f"send-{self.send.pk}-deliveries"
