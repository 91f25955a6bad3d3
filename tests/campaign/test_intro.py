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
