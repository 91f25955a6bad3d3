"""Admin views for issues: "New issue from the pack outline", "Send me a test" and "Public
address". Thin: the work is in ``newsletter.services``."""

import logging
import smtplib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import View

from comms.models.pages import view_restrictions_for
from newsletter.forms import AssembleForm, TestSendForm
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, PublicLink
from newsletter.rendering import absolute
from newsletter.services.assembly import NoArchiveError, newsletter_issue_assemble
from newsletter.services.sharing import newsletter_issue_share, newsletter_issue_unshare
from newsletter.services.testsend import newsletter_issue_send_test
from newsletter.views.permissions import RefusalPageMixin, send_permission_policy

logger = logging.getLogger(__name__)


def user_can_assemble(user) -> bool:
    """Whoever may add pages under /newsletters/ (page permissions, not models')."""
    archive = NewsletterIndexPage.objects.first()
    return archive is not None and archive.permissions_for_user(user).can_add_subpage()


class AssembleView(RefusalPageMixin, View):
    refusal_title = "You cannot add newsletter issues"
    refusal_text = (
        "Assembling issues is for comms leads (and there must be a /newsletters/ archive)."
    )

    def user_may_proceed(self) -> bool:
        return user_can_assemble(self.request.user)

    def get(self, request):
        return self.respond(request)

    def post(self, request):
        return self.respond(request)

    def respond(self, request):
        form = AssembleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                issue = newsletter_issue_assemble(
                    title=form.cleaned_data["title"], user=request.user
                )
            except (ValueError, NoArchiveError) as error:
                form.add_error("title", str(error))
            else:
                messages.success(
                    request,
                    f"Draft “{issue.title}” assembled from the pack outline. Fill in each "
                    "[insert …] prompt, then submit it for approval.",
                )
                return redirect("wagtailadmin_pages:edit", issue.pk)
        return TemplateResponse(request, "newsletter/admin/assemble.html", {"form": form})


class TestSendView(RefusalPageMixin, View):
    refusal_title = "You cannot test this issue"
    refusal_text = "Only people who may edit it can test it."

    def user_may_proceed(self) -> bool:
        self.issue = get_object_or_404(NewsletterIssuePage, pk=self.kwargs["pk"])
        return self.issue.permissions_for_user(self.request.user).can_edit()

    def get(self, request, pk: int):
        return self.respond(request)

    def post(self, request, pk: int):
        return self.respond(request)

    def respond(self, request):
        issue = self.issue
        form = TestSendForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            to = form.cleaned_data["email"]
            try:
                newsletter_issue_send_test(issue=issue, to=to, user=request.user)
            except ValidationError as error:
                form.add_error("email", error)
            except (smtplib.SMTPException, OSError) as error:
                logger.warning("Test send of issue %s to %s failed: %s", issue.pk, to, error)
                messages.error(
                    request,
                    f"The test was not sent: the mail server could not be reached or refused "
                    f"it ({error.__class__.__name__}: {error}). Try again later, or ask the "
                    "portal's administrator to check the email settings.",
                )
            else:
                messages.success(request, f"Test sent to {to}. Check the inbox in a minute or two.")
                return redirect("wagtailadmin_pages:edit", issue.pk)
        return TemplateResponse(
            request,
            "newsletter/admin/send_test.html",
            {
                "form": form,
                "issue": issue,
                "edit_url": reverse("wagtailadmin_pages:edit", args=[issue.pk]),
            },
        )


class ShareView(RefusalPageMixin, View):
    """GET: whether the issue is shared, and its address. POST ``action=share|stop``."""

    permission_policy = send_permission_policy
    permission_required = "schedule"  # sharing decides who may read it: as for sending
    refusal_title = "You cannot share this issue"
    refusal_text = "Sharing an issue publicly, or stopping it, is for comms leads."

    def user_may_proceed(self) -> bool:
        self.issue = get_object_or_404(NewsletterIssuePage, pk=self.kwargs["pk"])
        return super().user_may_proceed()

    def get(self, request, pk: int):
        return self.respond(request)

    def post(self, request, pk: int):
        issue = self.issue
        action = request.POST.get("action")
        if action == "share":
            newsletter_issue_share(issue=issue, user=request.user)
            messages.success(request, f"“{issue.title}” now has a public address.")
            return redirect("newsletter_issues:share", issue.pk)
        if action == "stop":
            newsletter_issue_unshare(issue=issue, user=request.user)
            messages.success(
                request, f"“{issue.title}” is no longer shared: its public address is gone."
            )
            return redirect("newsletter_issues:share", issue.pk)
        return self.respond(request, error="Choose “Share publicly” or “Stop sharing”.", status=400)

    def respond(self, request, error: str = "", status: int = 200):
        issue = self.issue
        link = PublicLink.objects.filter(issue=issue).first()
        return TemplateResponse(
            request,
            "newsletter/admin/share.html",
            {
                "issue": issue,
                "link": link,
                "public_url": absolute(link.path) if link else "",
                "restricted": view_restrictions_for(issue).exists(),
                "error": error,
                "edit_url": reverse("wagtailadmin_pages:edit", args=[issue.pk]),
            },
            status=status,
        )
