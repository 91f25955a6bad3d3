"""The publish guard: in code, in the admin editor, and in the moderation workflow."""

import json
import re
from html import unescape

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from comms import roles
from comms.guard import PublishBlockedError, UnfilledPlaceholdersError
from tests.factories import UserFactory, blog_post, page_approve

pytestmark = pytest.mark.django_db

UNFILLED = "<p>Here at <b>[insert institution here]</b> we [describe what we do].</p>"


def edit_data(post, body_html, *more_blocks, **action):
    """The page editor's POST, as the browser sends it (``more_blocks``: further rich text
    blocks' HTML after the first)."""
    data = nested_form_data(
        {
            "title": post.title,
            "slug": post.slug,
            "author_name": post.author_name,
            "date": post.date.isoformat(),
            "summary": post.summary,
            "topics": "",
            "body": streamfield(
                [("rich_text", rich_text(html)) for html in (body_html, *more_blocks)]
            ),
            "comments": inline_formset([]),
        }
    )
    data.update(action)
    return data


def test_code_that_publishes_is_refused_with_the_list():
    post = blog_post("Draft", body_html=UNFILLED, publish=False)
    with pytest.raises(UnfilledPlaceholdersError) as raised:
        post.save_revision().publish()
    messages = raised.value.messages
    assert "cannot be published while placeholders remain" in messages[0]
    assert messages[1] == (
        "Fill in [insert institution here] — Body, block 1 (Rich text), paragraph 1"
    )
    assert messages[2].startswith("Fill in [describe what we do]")
    post.refresh_from_db()
    assert post.live is False


def test_code_publishes_once_everything_is_filled_and_approved():
    post = blog_post("Filled", body_html="<p>Here at Exampleshire we care.</p>", publish=False)
    with pytest.raises(PublishBlockedError, match="goes live only when the approval workflow"):
        post.get_latest_revision().publish()
    page_approve(post)
    assert post.live is True


def test_placeholder_in_the_title_is_guarded_too():
    post = blog_post("News from [insert institution here]", publish=False)
    with pytest.raises(UnfilledPlaceholdersError, match="Title, paragraph 1"):
        post.save_revision().publish()


def test_admin_submit_is_refused_and_lists_each_placeholder(client_as, editor):
    post = blog_post("Draft", body_html=UNFILLED, publish=False)
    response = client_as(editor).post(
        f"/admin/pages/{post.pk}/edit/", edit_data(post, UNFILLED, **{"action-submit": "1"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "cannot be published or sent for approval until these are fixed" in html
    assert "Fill in [insert institution here] — Body, block 1 (Rich text), paragraph 1" in html
    assert "Fill in [describe what we do]" in html
    post.refresh_from_db()
    assert post.live is False


def test_refused_submit_says_nothing_was_saved_and_marks_the_block(client_as, editor):
    post = blog_post("Draft", body_html="<p>Old.</p>", publish=False)
    revisions = post.revisions.count()
    filled = "<p>Trusted Research keeps our partnerships safe.</p>"
    response = client_as(editor).post(
        f"/admin/pages/{post.pk}/edit/",
        edit_data(post, filled, UNFILLED, **{"action-submit": "1"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    messages = html[html.index('class="messages"') : html.index("</ul>", html.index("errorlist"))]
    assert "could not be saved due to validation errors" not in messages
    assert (
        "Nothing was saved and nothing was submitted for approval: “Draft” still has "
        "placeholders to fill in (marked below)."
    ) in messages
    assert "Body: block 2 holds a placeholder to fill in." in messages
    # The block with the placeholder carries the error; the filled block 1 does not.
    arguments = json.loads(
        unescape(re.search(r'data-w-block-arguments-value="([^"]*)"', html).group(1))
    )
    assert arguments[1] == {
        "blockErrors": {
            "1": {
                "messages": [
                    "Fill in [insert institution here] — Body, block 2 (Rich text), paragraph 1",
                    "Fill in [describe what we do] — Body, block 2 (Rich text), paragraph 1",
                ]
            }
        }
    }
    # The editor does not autosave the refused content behind the editor's back, so the header
    # does not say "Saved"; leaving the page still warns about the unsaved changes.
    start = html.index('id="page-edit-form"')
    form = html[start : html.index("csrfmiddlewaretoken", start)]  # the form tag's attributes
    assert "w-autosave" not in form
    assert 'data-w-unsaved-force-value="true"' in form
    assert post.revisions.count() == revisions


def test_admin_saving_a_draft_with_placeholders_is_allowed(client_as, editor):
    post = blog_post("Draft", body_html="<p>Old.</p>", publish=False)
    response = client_as(editor).post(f"/admin/pages/{post.pk}/edit/", edit_data(post, UNFILLED))
    assert response.status_code == 302
    post.refresh_from_db()
    latest = post.get_latest_revision_as_object()
    assert "[insert institution here]" in latest.body[0].value.source


def test_admin_offers_no_publish_and_refuses_a_forged_one(client_as, senior_owner):
    post = blog_post("Draft", body_html=UNFILLED, publish=False)
    client = client_as(senior_owner)
    assert (
        'name="action-publish"' not in client.get(f"/admin/pages/{post.pk}/edit/").content.decode()
    )
    response = client.post(
        f"/admin/pages/{post.pk}/edit/",
        edit_data(post, "<p>Here at Exampleshire we care.</p>", **{"action-publish": "1"}),
    )
    assert response.status_code == 200
    assert "A blog post goes live only through approval" in response.content.decode()
    post.refresh_from_db()
    assert post.live is False


def test_workflow_submit_is_refused_then_approval_publishes(client_as, editor, senior_owner):
    post = blog_post("For approval", body_html=UNFILLED, publish=False)
    editor_client = client_as(editor)
    refused = editor_client.post(
        f"/admin/pages/{post.pk}/edit/", edit_data(post, UNFILLED, **{"action-submit": "1"})
    )
    assert "Fill in [insert institution here]" in refused.content.decode()
    assert not WorkflowState.objects.filter(object_id=str(post.pk)).exists()

    filled = "<p>Here at Exampleshire we care.</p>"
    submitted = editor_client.post(
        f"/admin/pages/{post.pk}/edit/", edit_data(post, filled, **{"action-submit": "1"})
    )
    assert submitted.status_code == 302
    state = WorkflowState.objects.get(object_id=str(post.pk))
    assert state.workflow.name == "Senior owner approval"
    task_state = state.current_task_state

    # A placeholder slips back in while it waits (only reviewers may edit it now): approving
    # from the dashboard is refused, saying why.
    senior = client_as(senior_owner)
    senior.post(f"/admin/pages/{post.pk}/edit/", edit_data(post, UNFILLED))
    colleague = client_as(UserFactory(username="senior2", role=roles.SENIOR_OWNERS))
    url = f"/admin/pages/workflow/action/{post.pk}/approve/{task_state.pk}/"
    refused = colleague.post(url, {"comment": ""}, follow=True)
    assert "was not approved: Fill in [insert institution here]" in refused.content.decode()
    post.refresh_from_db()
    assert post.live is False

    # The senior owner who changed it fixes it; the change needs a colleague's approval.
    senior.post(f"/admin/pages/{post.pk}/edit/", edit_data(post, filled))
    approved = colleague.post(url, {"comment": "Good to go"}, follow=True)
    assert "the changed version now awaits approval too" in approved.content.decode()
    post.refresh_from_db()
    assert post.live is False
    again = post.current_workflow_task_state
    assert again.revision == post.get_latest_revision()
    colleague.post(f"/admin/pages/workflow/action/{post.pk}/approve/{again.pk}/", {"comment": ""})
    post.refresh_from_db()
    assert post.live is True
    assert "Exampleshire" in post.body[0].value.source


def test_senior_owner_can_request_changes_with_a_comment(client_as, editor, senior_owner):
    post = blog_post("For approval", body_html="<p>All filled.</p>", publish=False)
    client_as(editor).post(
        f"/admin/pages/{post.pk}/edit/",
        edit_data(post, "<p>All filled.</p>", **{"action-submit": "1"}),
    )
    state = WorkflowState.objects.get(object_id=str(post.pk))
    task_state = state.current_task_state
    client_as(senior_owner).post(
        f"/admin/pages/workflow/action/{post.pk}/reject/{task_state.pk}/",
        {"comment": "Please add the contact details."},
    )
    task_state.refresh_from_db()
    assert task_state.status == "rejected"
    assert task_state.comment == "Please add the contact details."
    post.refresh_from_db()
    assert post.live is False
