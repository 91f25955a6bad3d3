import pytest

from blogs import pack, pack_data
from blogs.models import BlogIndexPage, BlogTemplateLibraryPage, BlogTemplatePage

pytestmark = pytest.mark.django_db


def test_loader_creates_the_blog_and_both_templates_once(blog_pack):
    assert blog_pack["index"].url == "/blog/"
    library = BlogTemplateLibraryPage.objects.get()
    assert library.show_in_menus is False
    assert [t.title for t in BlogTemplatePage.objects.child_of(library).order_by("path")] == [
        "We must protect our research",
        "We’ve all heard of due diligence, but what is it really?",
    ]
    blog_2 = blog_pack["blog_2"]
    assert "research office (or equivalent function)" in blog_2.recommended_poster
    assert "Source: NPSA" in blog_2.attribution and "Open Government Licence" in blog_2.attribution
    text = blog_2.body[0].value.source
    assert "<h2>1. The partner (or funder)</h2>" in text
    assert (
        'href="https://www.un.org/securitycouncil/sanctions/information">UN sanctions list' in text
    )
    assert "³" not in text and "**" not in text
    report = pack.load(reset=False)
    assert report.created == [] and len(report.kept) == 4
    assert BlogIndexPage.objects.count() == 1 and BlogTemplatePage.objects.count() == 2


def test_loader_keeps_an_editors_changes_and_reset_restores_the_pack_text(blog_pack):
    template = blog_pack["blog_1"]
    template.title = "Our own version"
    template.save_revision().publish()
    pack.load(reset=False)
    assert BlogTemplatePage.objects.get(pk=template.pk).title == "Our own version"
    report = pack.load(reset=True)
    assert report.updated == ["blog template blog-1", "blog template blog-2"]
    assert BlogTemplatePage.objects.get(pk=template.pk).title == "We must protect our research"


def test_readers_never_see_templates_but_editors_can(blog_pack, client_as, staff_user, editor):
    template_url = blog_pack["blog_1"].url
    assert client_as(staff_user).get(template_url).status_code == 404
    assert client_as(staff_user).get("/blog-templates/").status_code == 404
    response = client_as(editor).get(template_url)
    assert response.status_code == 200
    assert "Readers never see it" in response.content.decode()
    listing = client_as(staff_user).get("/blog/").content.decode()
    assert "We must protect our research" not in listing


def test_a_template_with_an_unclosed_bracket_loads_and_is_reported(blog_pack, caplog, monkeypatch):
    broken_body = [{"type": "rich_text", "value": "<p>At [insert institution here we care.</p>"}]
    broken = [{**pack_data.TEMPLATES[0], "body": broken_body}, pack_data.TEMPLATES[1]]
    monkeypatch.setattr(pack_data, "TEMPLATES", broken)
    report = pack.load(reset=True)
    assert "blog template blog-1" in report.updated
    assert "Unclosed “[”" in caplog.text and "paragraph 1, character 4" in caplog.text
    assert BlogTemplatePage.objects.get(pack_key="blog-1").body[0].value.source == (
        "<p>At [insert institution here we care.</p>"
    )


def test_a_rerun_follows_new_pack_text_on_untouched_templates_and_reports_edited_ones(
    blog_pack, monkeypatch
):
    edited = blog_pack["blog_1"]
    edited.title = "Our own version"
    edited.save_revision().publish()
    changed = [{**data, "notes": "<p>New notes from the pack.</p>"} for data in pack_data.TEMPLATES]
    monkeypatch.setattr(pack_data, "TEMPLATES", changed)
    report = pack.load(reset=False)
    assert report.edited == ["blog template blog-1"]
    assert report.updated == ["blog template blog-2"]
    assert BlogTemplatePage.objects.get(pk=edited.pk).title == "Our own version"
    assert (
        BlogTemplatePage.objects.get(pack_key="blog-2").notes == "<p>New notes from the pack.</p>"
    )
