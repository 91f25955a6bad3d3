"""The blog's feed (public URL, token or session), and the admin "write from template" view."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from wagtail.admin import messages
from wagtail.models import Site

from blogs import selectors
from blogs.feeds import BlogFeed
from blogs.forms import WriteFromTemplateForm
from blogs.models import BlogBodyBlock, BlogTemplatePage
from blogs.services import blog_post_create_from_template
from comms.models import PortalSettings
from comms.placeholders import fill_stream, prefill_values, scan_stream
from comms.views import feed_access_refusal

logger = logging.getLogger(__name__)


@login_not_required
@require_GET
def blog_feed(request):
    """Atom feed of the blog. Signed-in browsers use their session; feed readers, which cannot
    sign in, use the reader's private address ``/blog/feed/?token=…`` shown on /blog/."""
    refusal = feed_access_refusal(request, copy_from="the blog page (/blog/)")
    return refusal or BlogFeed()(request)


def _setup(request, page_id):
    template = get_object_or_404(BlogTemplatePage, pk=page_id)
    index = selectors.blog_index()
    if index is None:
        raise PermissionDenied
    if not index.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    latest = template.get_latest_revision_as_object()
    raw = list(latest.body.get_prep_value())
    scan = scan_stream(latest.body.stream_block, raw, "Body")
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    portal = PortalSettings.for_site(site)
    prefill = prefill_values(scan.placeholders, portal)
    return template, latest, index, raw, scan, prefill


def _preview_html(raw, values) -> str:
    body_block = BlogBodyBlock()
    filled = body_block.to_python(fill_stream(body_block, raw, values))
    return render_to_string("blogs/admin/preview.html", {"body": filled})


def write_from_template(request, page_id):
    """GET: the form. POST "preview": the form and the filled post. POST "create": a draft post,
    then the page editor."""
    template, latest, index, raw, scan, prefill = _setup(request, page_id)
    form_kwargs = {
        "placeholders": scan.placeholders,
        "prefill": prefill,
        "recommended_poster": latest.recommended_poster,
        "initial": {"title": latest.title},
    }
    preview = ""
    if request.method == "POST":
        form = WriteFromTemplateForm(request.POST, **form_kwargs)
        if form.is_valid():
            values = form.placeholder_values()
            if "create" in request.POST:
                post = blog_post_create_from_template(
                    template=template,
                    index=index,
                    values=values,
                    title=form.cleaned_data["title"],
                    author_name=form.cleaned_data["author_name"],
                    user=request.user,
                )
                messages.success(
                    request,
                    f"Draft “{post.title}” created. Fill anything still in [brackets], then "
                    "submit it for approval.",
                )
                return redirect("wagtailadmin_pages:edit", post.pk)
            preview = _preview_html(raw, values)
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return HttpResponse(preview)
        elif request.headers.get("x-requested-with") == "XMLHttpRequest":
            return HttpResponse(
                render_to_string("blogs/admin/preview.html", {"errors": form.errors}), status=400
            )
    else:
        form = WriteFromTemplateForm(**form_kwargs)
        preview = _preview_html(raw, prefill)
    return render(
        request,
        "blogs/admin/write_from_template.html",
        {
            "template_page": latest,
            "form": form,
            "preview": preview,
            "problems": scan.problems,
            "occurrence_count": len(scan.occurrences),
            "submit_url": reverse("blogs_write_from_template", args=[template.pk]),
        },
    )
