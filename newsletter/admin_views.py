"""Admin views of the newsletter: schedule, sends (progress, report, actions), import, export,
personal data. Thin: permissions are checked again inside the services."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from wagtail.admin.views.generic.models import DeleteView

from comms.csvutils import csv_render
from newsletter.forms import ImportForm, ScheduleForm
from newsletter.models import Delivery, MailingList, NewsletterIssuePage, Send, Subscriber
from newsletter.scheduling import confirmation_question, format_london
from newsletter.selectors import (
    audience_size,
    issue_presend_problems,
    send_deliveries,
    send_status,
    send_unsubscribed_since,
    sends_for_admin,
    sends_with_counts,
    subscriber_personal_data,
)
from newsletter.services import sends as send_services
from newsletter.services.subscribers import subscriber_erase, subscribers_import


def _forbidden(request) -> TemplateResponse:
    # A real 403: Wagtail's admin would turn a raised PermissionDenied into a redirect.
    return TemplateResponse(request, "newsletter/admin/forbidden.html", status=403)


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def schedule(request, page_id: int):
    """Choose lists and a time, then a confirmation step restating the send; nothing is
    scheduled until Confirm. The choices travel in hidden fields and are checked again
    (``send_schedule``) on Confirm. Buttons: ``confirm`` is absent (review), "edit" (Back) or
    "schedule" (Confirm)."""
    if not send_services.user_can_schedule(request.user):
        return _forbidden(request)
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    problems = issue_presend_problems(issue)
    form = ScheduleForm(request.POST or None)
    step = request.POST.get("confirm") if request.method == "POST" else None
    context = {"issue": issue, "form": form, "problems": problems, "show_again": False}
    if request.method == "POST" and form.is_valid() and step != "edit":
        choice = {
            "issue": issue,
            "lists": list(form.cleaned_data["lists"]),
            "at": form.cleaned_data["at"],
            "user": request.user,
            "again": form.cleaned_data["again"],
            "reason": form.cleaned_data["reason"],
        }
        try:
            if step == "schedule":
                send = send_services.send_schedule(**choice)
            else:
                earlier = send_services.send_schedule_check(**choice)
        except send_services.AlreadySentError as exc:
            context["show_again"] = True
            form.add_error(
                None,
                exc.messages[0] + " To send it again anyway, tick \u201cSend again anyway\u201d "
                "and give the reason.",
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if step == "schedule":
                messages.success(
                    request,
                    f"Scheduled to {audience_size(lists=choice['lists']):,} recipient(s) at "
                    f"{format_london(send.scheduled_at)}.",
                )
                return redirect("newsletter_send_detail", send.pk)
            return TemplateResponse(
                request,
                "newsletter/admin/schedule_confirm.html",
                context
                | {
                    "question": confirmation_question(
                        at=choice["at"], count=audience_size(lists=choice["lists"])
                    ),
                    "lists": choice["lists"],
                    "earlier": earlier,
                    "reason": " ".join(choice["reason"].split()) if earlier else "",
                },
            )
    # The send-again choice is offered once it is relevant (or was already made).
    context["show_again"] = context["show_again"] or bool(form.is_bound and form.data.get("again"))
    return TemplateResponse(request, "newsletter/admin/schedule.html", context)


def send_list(request):
    _require(request, "newsletter.view_send")
    sends = sends_with_counts()
    page = Paginator(sends, 25).get_page(request.GET.get("p"))
    return TemplateResponse(request, "newsletter/admin/send_list.html", {"page": page})


def send_detail(request, send_id: int):
    _require(request, "newsletter.view_send")
    send = get_object_or_404(sends_for_admin(), pk=send_id)
    status_filter = request.GET.get("status") or ""
    if status_filter not in Delivery.Status.values:
        status_filter = ""
    deliveries = Paginator(send_deliveries(send, status=status_filter), 50).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "newsletter/admin/send_detail.html",
        {
            "send": send,
            "status": send_status(send),
            "unsubscribed_since": send_unsubscribed_since(send),
            "deliveries": deliveries,
            "status_filter": status_filter,
            "statuses": Delivery.Status.choices,
            "can_control": send_services.user_can_schedule(request.user),
            "scheduled_london": format_london(send.scheduled_at),
        },
    )


def send_progress(request, send_id: int):
    _require(request, "newsletter.view_send")
    return JsonResponse(send_status(get_object_or_404(Send, pk=send_id)))


ACTIONS = {
    "pause": (
        send_services.send_pause,
        "Send paused: each worker stops after the message it is sending. Press Resume to carry "
        "on where it stopped.",
    ),
    "resume": (send_services.send_resume, "Send resumed."),
}


@require_POST
def send_action(request, send_id: int):
    send = get_object_or_404(Send, pk=send_id)
    action = request.POST.get("action")
    if not send_services.user_can_schedule(request.user):
        return _forbidden(request)
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
        elif action in ACTIONS:
            service, text = ACTIONS[action]
            service(send=send, user=request.user)
            messages.success(request, text)
        else:
            messages.error(request, "Unknown action.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("newsletter_send_detail", send.pk)


def _csv_response(filename: str, header, rows) -> HttpResponse:
    response = HttpResponse(csv_render(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def send_deliveries_csv(request, send_id: int):
    _require(request, "newsletter.view_send")
    send = get_object_or_404(Send, pk=send_id)
    rows = send_deliveries(send, status=request.GET.get("status") or None).values_list(
        "email", "name", "status", "attempts", "sent_at", "smtp_reply", "message_id"
    )
    return _csv_response(
        f"send-{send.pk}-deliveries.csv",
        ["email", "name", "status", "attempts", "sent_at", "smtp_reply", "message_id"],
        rows.iterator(),
    )


def subscribers_import_view(request):
    _require(request, "newsletter.add_subscriber")
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


def mailing_list_export(request, list_id: int):
    _require(request, "newsletter.view_subscriber")
    mailing_list = get_object_or_404(MailingList, pk=list_id)
    rows = mailing_list.memberships.order_by("subscriber__email").values_list(
        "subscriber__email",
        "subscriber__name",
        "subscriber__status",
        "subscribed_at",
        "unsubscribed_at",
    )
    return _csv_response(
        f"{mailing_list.name}.csv".replace('"', ""),
        ["email", "name", "status", "subscribed_at", "unsubscribed_at"],
        rows.iterator(),
    )


ERASED_MESSAGE = (
    "Subscriber erased: their address and name are gone from every list, send report and "
    "history entry; {count} delivery record(s) stay, anonymised, in the send totals."
)


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


def subscriber_privacy(request, subscriber_id: int):
    _require(request, "newsletter.delete_subscriber")
    subscriber = get_object_or_404(Subscriber, pk=subscriber_id)
    if request.method == "POST" and request.POST.get("confirm") == subscriber.email:
        count = subscriber_erase(subscriber=subscriber, user=request.user)
        messages.success(request, ERASED_MESSAGE.format(count=count))
        return redirect(reverse("newsletter_subscriber:index"))
    if request.method == "POST":
        messages.error(request, "Type the subscriber's address exactly to confirm the erasure.")
    return TemplateResponse(
        request, "newsletter/admin/subscriber_privacy.html", {"subscriber": subscriber}
    )


def subscriber_data_export(request, subscriber_id: int):
    _require(request, "newsletter.view_subscriber")
    subscriber = get_object_or_404(Subscriber, pk=subscriber_id)
    response = HttpResponse(
        json.dumps(subscriber_personal_data(subscriber), indent=2),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="subscriber-{subscriber.pk}.json"'
    return response
