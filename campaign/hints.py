"""What a user who can edit the campaign may fill in, shown on the campaign pages."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class EditorHints:
    """What a user who can edit the campaign may fill in, with the admin screen to do it.

    Empty (all falsy) for readers: the pages then leave the empty parts out. ``key`` varies
    the plan page's cached fragments, so a hint rendered for an editor is never served to a
    reader from the cache (nor a reader's fragment to an editor)."""

    add_activity_url: str = ""
    add_endorser_url: str = ""
    can_answer: bool = False
    can_measure: bool = False

    @property
    def key(self) -> str:
        flags = (self.add_activity_url, self.add_endorser_url, self.can_answer, self.can_measure)
        return "hints-" + "".join("1" if flag else "0" for flag in flags)


def editor_hints(*, user) -> EditorHints:
    """The hints ``user`` may see: one per model permission (add an activity or an endorser,
    answer a question, measure a KPI). No permission, no hint."""
    if user is None or not user.is_authenticated:
        return EditorHints()
    return EditorHints(
        add_activity_url=reverse("wagtailsnippets_campaign_activity:add")
        if user.has_perm("campaign.add_activity")
        else "",
        add_endorser_url=reverse("wagtailsnippets_campaign_endorser:add")
        if user.has_perm("campaign.add_endorser")
        else "",
        can_answer=user.has_perm("campaign.change_planquestion"),
        can_measure=user.has_perm("campaign.change_kpi"),
    )
