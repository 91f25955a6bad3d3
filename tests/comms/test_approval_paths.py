"""Every path Wagtail 8 offers to make a page live, tried on a page type that goes live only
through two-person approval (blog posts; newsletter issues are tried in
tests/newsletter/test_approval.py). Each path either refuses or leaves the live version as the
one a second person approved.

Paths: the editor (tests/comms/test_guard.py), the admin API actions (every action of
``PagesAdminAPIViewSet``: a new action fails ``test_every_admin_api_action_is_walked``), copy
with "publish copies" and aliases, bulk publish, revisions revert, scheduled publishing
(``publish_scheduled``), the workflow's own approval (approver edits, author edits after
submitting).
"""

import datetime

from django.core.management import call_command
from django.utils import timezone

from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.models import Page, TaskState

import pytest

from blogs.models import BlogPostPage
from comms import roles
from comms.approval import revision_approved
from tests.comms.test_guard import edit_data
from tests.factories import UserFactory, blog_post, page_approve

pytestmark = pytest.mark.django_db

APPROVED_HTML = "<p>Reviewed by two people.</p>"
SNEAKED_HTML = "<p>Nobody reviewed this.</p>"


@pytest.fixture
def senior2(db):
    return UserFactory(username="senior2", role=roles.SENIOR_OWNERS)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def draft_post(db):
    return blog_post("A draft", body_html=SNEAKED_HTML, publish=False)


@pytest.fixture
def live_post(db):
    """A post approved and live, with a later unreviewed draft on top."""
    post = blog_post("Approved post", body_html=APPROVED_HTML)
    post.body = [("rich_text", SNEAKED_HTML)]
    post.save_revision()
    post.refresh_from_db()
    return post


def body_html(page) -> str:
    return str(page.body[0].value)


def live_html(post) -> str:
    post.refresh_from_db()
    assert post.live
    return body_html(post.live_revision.as_object())


def api_action(client, page, name, data=None):
    return client.post(
        f"/admin/api/main/pages/{page.pk}/action/{name}/",
        data or {},
        content_type="application/json",
    )


# --- the admin API --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["senior owner", "superuser"])
def test_admin_api_publish_is_refused(who, draft_post, live_post, senior_owner, superuser, client):
    client.force_login(senior_owner if who == "senior owner" else superuser)

    response = api_action(client, draft_post, "publish")
    assert response.status_code == 403, response.content
    assert "permission to publish" in response.json()["detail"]
    draft_post.refresh_from_db()
    assert not draft_post.live

    response = api_action(client, live_post, "publish")
    assert response.status_code == 403
    assert live_html(live_post) == APPROVED_HTML


def test_admin_api_copy_keeps_no_copy_live(live_post, senior_owner, client):
    client.force_login(senior_owner)
    before = set(BlogPostPage.objects.values_list("pk", flat=True))

    response = api_action(client, live_post, "copy", {"slug": "copied", "keep_live": True})
    assert response.status_code == 403, response.content
    assert set(BlogPostPage.objects.values_list("pk", flat=True)) == before

    # Copying as a draft is fine: the copy goes through approval like any new post.
    response = api_action(client, live_post, "copy", {"slug": "copied", "keep_live": False})
    assert response.status_code == 201, response.content
    copy = BlogPostPage.objects.get(slug="copied")
    assert not copy.live


def test_admin_api_alias_of_a_post_is_refused(live_post, senior_owner, client):
    client.force_login(senior_owner)
    before = Page.objects.count()
    response = api_action(client, live_post, "create_alias", {"update_slug": "alias"})
    assert response.status_code == 403, response.content
    assert Page.objects.count() == before


def test_admin_api_revert_and_move_change_nothing_live(live_post, senior_owner, client):
    client.force_login(senior_owner)
    first = live_post.revisions.order_by("created_at").first()
    response = api_action(client, live_post, "revert_to_page_revision", {"revision_id": first.pk})
    assert response.status_code == 200, response.content
    assert live_html(live_post) == APPROVED_HTML

    response = api_action(
        client,
        live_post,
        "move",
        {"destination_page_id": live_post.get_parent().pk, "position": "last-child"},
    )
    assert response.status_code == 200, response.content
    assert live_html(live_post) == APPROVED_HTML


# What each action of Wagtail's admin API does to a page that needs approval. A new action in
# a Wagtail upgrade fails the walk below until someone decides what it may do and tests it.
API_ACTIONS = {
    "publish": "refused: test_admin_api_publish_is_refused",
    "copy": "no live copy: test_admin_api_copy_keeps_no_copy_live",
    "create_alias": "refused: test_admin_api_alias_of_a_post_is_refused",
    "revert_to_page_revision": "a new draft: test_admin_api_revert_and_move_change_nothing_live",
    "move": "live version unchanged: test_admin_api_revert_and_move_change_nothing_live",
    "unpublish": "takes content down; needs no approval",
    "delete": "removes the page; needs no approval",
    "convert_alias": "only for aliases, which cannot be made of these pages",
    "copy_for_translation": "a draft copy (the portal is not translated)",
}


def test_every_admin_api_action_is_walked():
    assert set(PagesAdminAPIViewSet.actions) == set(API_ACTIONS)


def test_admin_api_actions_need_admin_access(draft_post, staff_user, client):
    """The API's action URLs in the permission matrix's terms: anonymous visitors and staff
    without admin access are refused whatever the action."""
    for name in API_ACTIONS:
        client.logout()
        assert api_action(client, draft_post, name).status_code in (302, 401, 403), name
        client.force_login(staff_user)
        assert api_action(client, draft_post, name).status_code in (302, 403), name
    draft_post.refresh_from_db()
    assert not draft_post.live
    assert BlogPostPage.objects.count() == 1


# --- admin views ----------------------------------------------------------------------------


def test_copy_view_offers_no_publish_copies_and_refuses_a_forged_one(
    live_post, senior_owner, client
):
    client.force_login(senior_owner)
    url = f"/admin/pages/{live_post.pk}/copy/"
    html = client.get(url).content.decode()
    assert 'name="publish_copies"' not in html
    assert 'name="alias"' not in html

    client.post(
        url,
        {
            "new_title": "Copied post",
            "new_slug": "copied-post",
            "new_parent_page": live_post.get_parent().pk,
            "publish_copies": "on",
        },
    )
    copy = BlogPostPage.objects.filter(slug="copied-post").first()
    assert copy is None or not copy.live


def test_bulk_publish_publishes_nothing_and_says_why(draft_post, senior_owner, client):
    client.force_login(senior_owner)
    url = (
        "/admin/bulk/wagtailcore/page/publish/"
        f"?id={draft_post.pk}&next=/admin/pages/{draft_post.get_parent().pk}/"
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "only through approval" in page.content.decode()
    response = client.post(url, {"include_descendants": ""}, follow=True)
    assert response.status_code == 200
    draft_post.refresh_from_db()
    assert not draft_post.live


def test_revisions_revert_cannot_publish(live_post, senior_owner, client):
    client.force_login(senior_owner)
    first = live_post.revisions.order_by("created_at").first()
    response = client.post(
        f"/admin/pages/{live_post.pk}/revisions/{first.pk}/revert/",
        edit_data(live_post, SNEAKED_HTML, **{"action-publish": "1", "revision": str(first.pk)}),
    )
    assert response.status_code in (200, 302)
    assert live_html(live_post) == APPROVED_HTML


def test_publish_scheduled_publishes_only_an_approved_revision(live_post):
    # A forged schedule on the unreviewed draft: publish_scheduled leaves the approved version.
    unreviewed = live_post.get_latest_revision()
    past = timezone.now() - datetime.timedelta(minutes=1)
    type(unreviewed).objects.filter(pk=unreviewed.pk).update(approved_go_live_at=past)
    call_command("publish_scheduled")  # refused, and the command goes on
    assert live_html(live_post) == APPROVED_HTML
    unreviewed.refresh_from_db()
    assert unreviewed.approved_go_live_at is None  # not retried every minute
    assert live_post.get_latest_revision().pk == unreviewed.pk

    # An approved revision scheduled for later goes live when due.
    post = blog_post("Scheduled", body_html=APPROVED_HTML, publish=False)
    post.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    post.save_revision()
    page_approve(post)
    assert not post.live
    scheduled = post.get_latest_revision()
    assert scheduled.approved_go_live_at is not None
    # The hour passes.
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    post.refresh_from_db()
    assert post.live


def test_saving_a_page_live_without_approval_is_refused(draft_post):
    from comms.approval import NotApprovedError

    revision = draft_post.get_latest_revision()
    draft_post.live = True
    draft_post.live_revision = revision
    with pytest.raises(NotApprovedError):
        draft_post.save()
    assert not BlogPostPage.objects.get(pk=draft_post.pk).live


# --- the workflow: what goes live is what was approved --------------------------------------


def test_an_approver_who_rewrites_the_post_cannot_approve_their_own_edit(
    draft_post, editor, senior_owner, senior2, client
):
    draft_post.get_workflow().start(draft_post, editor)
    client.force_login(senior_owner)
    response = client.post(
        f"/admin/pages/{draft_post.pk}/edit/",
        edit_data(
            draft_post,
            "<p>Rewritten by the approver.</p>",
            **{"action-workflow-action": "1", "workflow-action-name": "approve"},
        ),
    )
    assert response.status_code == 200
    assert "another member of the approving group" in response.content.decode()
    draft_post.refresh_from_db()
    assert not draft_post.live

    # Saved as a draft, the approver's edit is theirs: they may not approve it, senior2 may.
    client.post(f"/admin/pages/{draft_post.pk}/edit/", edit_data(draft_post, "<p>Fixed.</p>"))
    task_state = draft_post.current_workflow_task_state
    task = task_state.task.specific
    assert task.get_actions(draft_post, senior_owner) == []
    task.on_action(task_state, senior2, "approve")
    draft_post.refresh_from_db()
    # The approval of the submitted revision does not cover the later edit: a new review.
    assert not draft_post.live
    task_state = draft_post.current_workflow_task_state
    assert task_state.revision == draft_post.get_latest_revision()
    assert task_state.task.specific.get_actions(draft_post, senior_owner) == []
    task_state.task.specific.on_action(task_state, senior2, "approve")
    assert "Fixed." in live_html(draft_post)


def test_an_author_who_edits_after_submitting_needs_a_new_approval(
    draft_post, senior_owner, senior2
):
    state = draft_post.get_workflow().start(draft_post, senior_owner)
    submitted = state.current_task_state.revision
    draft_post.body = [("rich_text", "<p>Changed after submitting.</p>")]
    later = draft_post.save_revision(user=senior_owner)

    TaskState.objects.get(pk=state.current_task_state.pk).approve(user=senior2)
    draft_post.refresh_from_db()
    assert not draft_post.live
    assert not revision_approved(later)
    assert revision_approved(submitted) is False  # approved, but superseded: never published
    state.refresh_from_db()
    next_task = state.current_task_state
    assert next_task.status == TaskState.STATUS_IN_PROGRESS
    assert next_task.revision == later

    TaskState.objects.get(pk=next_task.pk).approve(user=senior2)
    assert "Changed after submitting." in live_html(draft_post)
    assert revision_approved(draft_post.live_revision)


def test_refused_self_approval_says_why_and_who_can_approve(
    draft_post, senior_owner, senior2, client
):
    state = draft_post.get_workflow().start(draft_post, senior_owner)
    task_state = state.current_task_state
    client.force_login(senior_owner)
    response = client.post(
        f"/admin/pages/workflow/action/{draft_post.pk}/approve/{task_state.pk}/",
        {"comment": ""},
        follow=True,
    )
    content = response.content.decode()
    assert "You created, submitted or changed" in content
    assert senior2.get_full_name() in content
    draft_post.refresh_from_db()
    assert not draft_post.live

    # The author's editor says who approves it.
    html = client.get(f"/admin/pages/{draft_post.pk}/edit/").content.decode()
    assert "Awaiting approval by" in html
    assert senior2.get_full_name() in html


def test_approving_from_the_dashboard_says_so(draft_post, editor, senior_owner, client):
    state = draft_post.get_workflow().start(draft_post, editor)
    client.force_login(senior_owner)
    response = client.post(
        f"/admin/pages/workflow/action/{draft_post.pk}/approve/{state.current_task_state.pk}/",
        {"comment": ""},
        follow=True,
    )
    assert "was approved and is now live" in response.content.decode()
    draft_post.refresh_from_db()
    assert draft_post.live


def test_a_senior_owner_who_edited_the_draft_before_it_was_submitted_may_approve(
    draft_post, editor, senior_owner
):
    """The submitter saw the whole draft when submitting it: a senior owner who wrote part of
    it earlier (an issue's introduction) is not its author for the two-person rule."""
    draft_post.body = [("rich_text", "<p>Introduction by the senior owner.</p>")]
    draft_post.save_revision(user=senior_owner)
    state = draft_post.get_workflow().start(draft_post, editor)
    task = state.current_task_state.task.specific
    assert "approve" in [name for name, *_ in task.get_actions(draft_post, senior_owner)]
    assert task.get_actions(draft_post, editor) == []
