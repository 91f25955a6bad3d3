"""Each piece of content carries its own document's attribution, as that document states it.

The comms pack says "© Crown Copyright 2024", licenses itself under the Open Government Licence
v3.0 and asks for NPSA as the source with a link to the licence. The campaign implementation
plan states no publisher, no year and no licence: it is credited by its title only.
"""

import re

import pytest

from campaign import pack
from campaign.models import CampaignIntro, CampaignPhasePage
from comms import licence

pytestmark = pytest.mark.django_db

PLAN_CREDIT = "Source: “Campaign implementation plan”"
PACK_LINE = (
    "© Crown Copyright 2024. Source: NPSA, Trusted Research implementation – communications pack"
)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _main(html: str) -> str:
    return _text(html.split('<main id="main"', 1)[1].split("</main>", 1)[0])


def _footer(html: str) -> str:
    return html.split('<footer class="portal-footer', 1)[1].split("</footer>", 1)[0]


@pytest.fixture
def reader(client_as, staff_user):
    pack.load()
    return client_as(staff_user)


def test_the_plan_pages_credit_the_plan_by_its_title_and_claim_no_licence(reader):
    phase = CampaignPhasePage.objects.get(slug="educate")
    for url in ("/campaign/", phase.url):
        main = _main(reader.get(url).content.decode())
        assert PLAN_CREDIT in main
        for claim in ("Crown", "Open Government Licence", "OGL", "2024", "NPSA, Trusted Research"):
            assert claim not in main, f"{url} claims {claim!r} for the plan"


def test_the_footer_gives_each_document_its_own_attribution(reader):
    footer = _footer(reader.get("/campaign/").content.decode())
    paragraphs = [_text(p) for p in re.findall(r"<p\b.*?</p>", footer, re.S)]
    pack_paragraph = next(p for p in paragraphs if "communications pack" in p)
    plan_paragraph = next(p for p in paragraphs if "Campaign implementation plan" in p)
    assert pack_paragraph != plan_paragraph
    assert "© Crown Copyright 2024" in pack_paragraph
    assert "Open Government Licence v3.0" in pack_paragraph and "NPSA" in pack_paragraph
    assert f'href="{licence.OGL_URL}"' in footer
    for claim in ("Crown", "Licence", "2024", "NPSA"):
        assert claim not in plan_paragraph


def test_the_pack_text_on_the_home_page_carries_the_packs_own_attribution(reader):
    intro = CampaignIntro.objects.get()
    intro.body = "<p>Here at University of Exampleshire we take research security seriously.</p>"
    intro.save_revision().publish()
    main = _main(reader.get("/").content.decode())
    assert f"{PACK_LINE}, used under the Open Government Licence v3.0" in main
    assert "Campaign implementation plan" not in main


def test_the_email_carries_the_packs_attribution_and_never_the_plans():
    from newsletter.rendering import render_issue
    from tests.factories import campaign_intro, newsletter_issue

    body = [("campaign_intro", {"intro": campaign_intro()})]
    rendered = render_issue(newsletter_issue("Trusted Research – June", body=body))
    for part in (_text(rendered.html), " ".join(rendered.text.split())):
        assert PACK_LINE in part
        assert "Campaign implementation plan" not in part
