"""Schedule a send of an issue: choose lists and a time, then a confirmation step restating
the send. Thin: ``newsletter.services.sends`` checks and schedules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.generic import View

from newsletter.checks import issue_presend_problems
from newsletter.forms import ScheduleForm
from newsletter.models import NewsletterIssuePage
from newsletter.scheduling import confirmation_question, format_london
from newsletter.selectors import audience_size
from newsletter.services import sends as send_services
from newsletter.views.permissions import RefusalPageMixin, send_permission_policy


class ScheduleView(RefusalPageMixin, View):
    """Nothing is scheduled until Confirm. The choices travel in hidden fields and are checked
    again (``send_schedule``) on Confirm. Buttons: ``confirm`` is absent (review), "edit"
    (Back) or "schedule" (Confirm)."""

    permission_policy = send_permission_policy
    permission_required = "schedule"
    refusal_template_name = "newsletter/admin/forbidden.html"

    def get(self, request, pk: int):
        return self.respond(request, pk)

    def post(self, request, pk: int):
        return self.respond(request, pk)

    def respond(self, request, pk: int):
        issue = get_object_or_404(NewsletterIssuePage, pk=pk)
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
                    exc.messages[0] + " To send it again anyway, tick \u201cSend again "
                    "anyway\u201d and give the reason.",
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
                    return redirect("newsletter_sends:detail", send.pk)
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
        context["show_again"] = context["show_again"] or bool(
            form.is_bound and form.data.get("again")
        )
        return TemplateResponse(request, "newsletter/admin/schedule.html", context)
