"""Writing a post from a template, through the admin with the Django client."""

import pytest

from blogs.models import BlogPostPage
from comms.models import PortalSettings
from comms.placeholders import Kind, scan_fields

pytestmark = pytest.mark.django_db


def write_url(template):
    return f"/admin/blogs/templates/{template.pk}/write/"


def form_fields(response):
    return response.context["form"]


def test_form_has_one_field_per_distinct_placeholder_with_prefill(blog_pack, client_as, editor):
    from wagtail.models import Site

    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.institution_name = "University of Exampleshire"
    settings.save()
    response = client_as(editor).get(write_url(blog_pack["blog_1"]))
    assert response.status_code == 200
    form = form_fields(response)
    assert len(form.placeholders) == 10
    html = response.content.decode()
    assert "[insert research area here]" in html
    assert "Leave empty to keep “research office”" in html
    institution = next(p for p in form.placeholders if p.prompt == "insert institution here")
    assert form[institution.field_name].value() == "University of Exampleshire"
    assert "Recommended poster: This blog would ideally be posted by" in html


def test_admin_page_header_offers_write_from_template(blog_pack, client_as, editor):
    template = blog_pack["blog_1"]
    response = client_as(editor).get(f"/admin/pages/{template.pk}/edit/")
    assert f'href="{write_url(template)}"' in response.content.decode()


def test_preview_shows_values_as_text(blog_pack, client_as, editor):
    client = client_as(editor)
    form = form_fields(client.get(write_url(blog_pack["blog_1"])))
    area = next(p for p in form.placeholders if p.prompt == "insert research area here")
    response = client.post(
        write_url(blog_pack["blog_1"]),
        {"title": "Protect it", area.field_name: "<script>alert(1)</script>", "preview": "1"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "As a specialist in &lt;script&gt;alert(1)&lt;/script&gt;, and like all" in html
    assert "<script>alert(1)" not in html


def test_create_draft_fills_what_was_given_and_leaves_the_rest_marked(blog_pack, client_as, editor):
    client = client_as(editor)
    form = form_fields(client.get(write_url(blog_pack["blog_1"])))
    by_prompt = {p.prompt: p for p in form.placeholders}
    response = client.post(
        write_url(blog_pack["blog_1"]),
        {
            "title": "Why I protect my research",
            "author_name": "Prof. Ada Byron",
            by_prompt["insert research area here"].field_name: "quantum sensing",
            by_prompt["insert institution here"].field_name: "Exampleshire",
            "create": "1",
        },
    )
    post = BlogPostPage.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/pages/{post.pk}/edit/"
    assert post.live is False and post.get_parent().specific == blog_pack["index"]
    assert post.author_name == "Prof. Ada Byron"
    assert post.source_template_id == blog_pack["blog_1"].pk
    text = post.body[0].value.source
    assert text.count("quantum sensing") == 2
    assert "here at Exampleshire to effectively" in text
    assert "Our research office provide" in text  # "or" left empty keeps the default
    remaining = scan_fields(post, post.placeholder_fields)
    assert len(remaining.placeholders) == 7
    assert Kind.OR not in {p.kind for p in remaining.placeholders}
    edit = client.get(response.url)
    assert edit.status_code == 200


def test_a_choice_not_among_the_alternatives_is_a_field_error(blog_pack, client_as, editor):
    template = blog_pack["blog_1"]
    template.body = [
        ("rich_text", "<p>You may have seen <b>[the research department/our Director]</b>.</p>")
    ]
    template.save_revision().publish()
    client = client_as(editor)
    form = form_fields(client.get(write_url(template)))
    choice = form.placeholders[0]
    response = client.post(
        write_url(template), {"title": "T", choice.field_name: "the dean", "create": "1"}
    )
    assert response.status_code == 200
    assert (
        "“the dean” is not one of the alternatives: pick one of them, or leave them unpicked and "
        "write your own wording in the draft."
    ) in response.content.decode()
    assert not BlogPostPage.objects.exists()


def test_template_with_unclosed_bracket_warns_the_editor_where(blog_pack, client_as, editor):
    template = blog_pack["blog_2"]
    template.body = [("rich_text", "<p>Fine.</p><p>At [insert institution here we care.</p>")]
    template.save_revision().publish()
    html = client_as(editor).get(write_url(template)).content.decode()
    assert "cannot be read as placeholders" in html
    assert "Unclosed “[”" in html and "paragraph 2, character 4" in html


def test_readers_cannot_write_from_templates(blog_pack, client_as, staff_user):
    response = client_as(staff_user).get(write_url(blog_pack["blog_1"]))
    assert response.status_code in (302, 403)
    assert not BlogPostPage.objects.exists()


def test_alternatives_and_suggestions_on_the_form_and_in_the_draft(blog_pack, client_as, editor):
    template = blog_pack["blog_1"]
    template.body = [
        (
            "rich_text",
            "<p>You may have seen <b>[the research department/our Director of Research/the "
            "organisation highlight the adverts on LinkedIn]</b> and/or <b>[the digital displays "
            "around campus]</b>.</p><p>Questions about <b>[describe your research questions here "
            "e.g. seemingly unanswerable/stretching/ground-breaking]</b>.</p>",
        )
    ]
    template.save_revision().publish()
    client = client_as(editor)
    response = client.get(write_url(template))
    page = response.content.decode()
    assert (
        "Pick one: [the research department/our Director of Research/the organisation] "
        "highlight the adverts on LinkedIn"
    ) in page
    assert "our Director of Research highlight the adverts on LinkedIn" in page
    assert "Suggestions from the pack: seemingly unanswerable; stretching; ground-breaking." in page
    choice = next(p for p in form_fields(response).placeholders if p.kind is Kind.CHOICE)
    client.post(
        write_url(template), {"title": "T", choice.field_name: "the organisation", "create": "1"}
    )
    text = BlogPostPage.objects.get().body[0].value.source
    assert "You may have seen the organisation highlight the adverts on LinkedIn and/or" in text
