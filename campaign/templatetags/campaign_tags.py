"""Campaign pieces other templates reuse: the plan's attribution, the campaign intro text and
the admin links of editors' hints."""

from django import template
from django.contrib.admin.utils import quote
from django.urls import reverse

from comms import licence

register = template.Library()


@register.inclusion_tag("campaign/includes/attribution.html")
def plan_attribution(source: str = "plan"):
    """The source line of the plan ("plan": its title, as it states no licence) or of the pack's
    intro text ("pack": Crown Copyright, NPSA and the Open Government Licence)."""
    return {
        "from_pack": source == "pack",
        "plan_credit": licence.PLAN_CREDIT,
        "pack_source": licence.PACK_SOURCE,
        "crown_copyright": licence.CROWN_COPYRIGHT,
        "ogl_url": licence.OGL_URL,
        "ogl_name": licence.OGL_NAME,
    }


@register.inclusion_tag("campaign/campaign_intro.html", takes_context=True)
def campaign_intro(context, heading_level: int = 2):
    """The published campaign intro text; editors see a note while none is published."""
    from campaign.models import CampaignIntro
    from campaign.selectors import campaign_intro_draft_placeholders, campaign_intro_live

    request = context.get("request")
    user = getattr(request, "user", None)
    intro = campaign_intro_live()
    can_edit = bool(user and user.has_perm("campaign.change_campaignintro"))
    draft = None
    if can_edit and not intro:
        draft = CampaignIntro.objects.order_by("-pk").first()
    return {
        "intro": intro,
        "heading_level": heading_level,
        "can_edit": can_edit,
        "remaining": campaign_intro_draft_placeholders() if draft else [],
        "edit_url": campaign_edit_url(draft) if draft else "",
    }


@register.simple_tag
def campaign_edit_url(instance) -> str:
    """The admin edit screen of a campaign snippet (a question, a KPI…), for editors' hints."""
    name = f"wagtailsnippets_campaign_{instance._meta.model_name}:edit"
    return reverse(name, args=[quote(instance.pk)])
