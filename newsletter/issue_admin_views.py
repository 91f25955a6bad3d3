"""Admin views for issues: "New issue from the pack outline", "Send me a test" and "Public
address". Thin: the work is in ``newsletter.services``."""

import logging
import smtplib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from comms.models.pages import view_restrictions_for
from newsletter.forms import AssembleForm, TestSendForm
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, PublicLink
from newsletter.rendering import absolute
from newsletter.services.assembly import NoArchiveError, newsletter_issue_assemble
from newsletter.services.sharing import (
    newsletter_issue_share,
    newsletter_issue_unshare,
    user_can_share,
)
from newsletter.services.testsend import newsletter_issue_send_test

logger = logging.getLogger(__name__)


def _forbidden(request, title: str, text: str) -> TemplateResponse:
    return TemplateResponse(
        request,
        "newsletter/admin/issue_forbidden.html",
        {"title": title, "text": text},
        status=403,
    )


def assemble(request):
    archive = NewsletterIndexPage.objects.first()
    if archive is None or not archive.permissions_for_user(request.user).can_add_subpage():
        return _forbidden(
            request,
            "You cannot add newsletter issues",
            "Assembling issues is for comms leads (and there must be a /newsletters/ archive).",
        )
    form = AssembleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = newsletter_issue_assemble(title=form.cleaned_data["title"], user=request.user)
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


def send_test(request, page_id: int):
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not issue.permissions_for_user(request.user).can_edit():
        return _forbidden(
            request, "You cannot test this issue", "Only people who may edit it can test it."
        )
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
                f"The test was not sent: the mail server could not be reached or refused it "
                f"({error.__class__.__name__}: {error}). Try again later, or ask the portal's "
                "administrator to check the email settings.",
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


def share(request, page_id: int):
    """GET: whether the issue is shared, and its address. POST ``action=share|stop``."""
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not user_can_share(request.user):
        return _forbidden(
            request,
            "You cannot share this issue",
            "Sharing an issue publicly, or stopping it, is for comms leads.",
        )
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "share":
            newsletter_issue_share(issue=issue, user=request.user)
            messages.success(request, f"“{issue.title}” now has a public address.")
            return redirect("newsletter_share", issue.pk)
        if action == "stop":
            newsletter_issue_unshare(issue=issue, user=request.user)
            messages.success(
                request, f"“{issue.title}” is no longer shared: its public address is gone."
            )
            return redirect("newsletter_share", issue.pk)
        error, status = "Choose “Share publicly” or “Stop sharing”.", 400
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
