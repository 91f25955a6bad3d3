import pytest

from campaign import pack
from campaign.models import CampaignIntro
from comms.guard import UnfilledPlaceholdersError
from comms.models import HomePage

pytestmark = pytest.mark.django_db


def test_intro_with_placeholders_cannot_be_published_and_editors_see_what_remains(
    client_as, editor, staff_user
):
    pack.load()
    intro = CampaignIntro.objects.get()
    with pytest.raises(UnfilledPlaceholdersError) as error:
        intro.save_revision().publish()
    assert "[insert organisation name]" in str(error.value)
    assert not CampaignIntro.objects.get().live

    editor_home = client_as(editor).get(HomePage.objects.get().url).content.decode()
    assert "Fill in [insert organisation name]" in editor_home
    reader_home = client_as(staff_user).get("/").content.decode()
    assert "Pride and Joy" not in reader_home


def test_filled_intro_is_published_on_the_home_page_with_attribution(client_as, staff_user):
    pack.load()
    intro = CampaignIntro.objects.get()
    intro.body = (
        "<p>Here at University of Exampleshire we take research security seriously. Known as "
        "‘Pride and Joy’ it emphasises that your research is precious.</p>"
    )
    intro.save_revision().publish()
    html = client_as(staff_user).get("/").content.decode()
    assert "Here at University of Exampleshire" in html
    assert "Source: NPSA, Trusted Research implementation – communications pack" in html
    assert html.count("<h1") == 1


def _fill_pack_intro(choice: str) -> CampaignIntro:
    """The pack's intro text, filled through the engine as an editor's values would fill it."""
    from comms.placeholders import Kind, fill_html, fill_text, scan_fields

    pack.load()
    intro = CampaignIntro.objects.get()
    values = {}
    for placeholder in scan_fields(intro, ("title", "body")).placeholders:
        if placeholder.kind is Kind.OPTIONAL:
            values[placeholder.key] = True
        elif placeholder.kind is Kind.CHOICE:
            values[placeholder.key] = choice
        elif placeholder.kind is Kind.SUGGESTION:
            values[placeholder.key] = placeholder.prompt
        else:
            values[placeholder.key] = "University of Exampleshire"
    intro.title = fill_text(intro.title, values)
    intro.body = fill_html(intro.body, values)
    intro.save_revision().publish()
    intro.refresh_from_db()
    return intro


def test_mailed_campaign_text_keeps_the_shared_continuation_of_the_alternatives():
    from newsletter.rendering import render_issue
    from tests.factories import newsletter_issue

    intro = _fill_pack_intro("the research department")
    body = [("campaign_intro", {"intro": intro})]
    rendered = render_issue(newsletter_issue("Trusted Research – May", body=body))
    sentence = (
        "You may have seen the research department highlight the adverts on LinkedIn and/or "
        "the digital displays around campus or perhaps come across the adverts on Research Gate."
    )
    assert sentence in " ".join(rendered.html.split())
    assert sentence in " ".join(rendered.text.split())


def test_editors_hint_for_the_unpublished_intro_links_to_its_edit_screen(
    client_as, editor, staff_user
):
    from django.urls import reverse

    pack.load()
    intro = CampaignIntro.objects.get()
    edit = reverse("wagtailsnippets_campaign_campaignintro:edit", args=[intro.pk])
    editor_home = client_as(editor).get("/").content.decode()
    assert f'href="{edit}"' in editor_home
    reader_home = client_as(staff_user).get("/").content.decode()
    assert edit not in reader_home and "in the admin" not in reader_home
