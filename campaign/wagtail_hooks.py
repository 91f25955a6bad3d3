"""The campaign in the admin: one "Campaign" menu with the office's layer on the plan."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from campaign.models import Activity, CampaignIntro, Endorser, Kpi, PlanQuestion
from campaign.services import question_answer


class QuestionEditView(EditView):
    def save_instance(self):
        changed = "answer" in self.form.changed_data
        instance = super().save_instance()
        if changed:
            question_answer(question=instance, answer=instance.answer, user=self.request.user)
        return instance


class PlanQuestionViewSet(SnippetViewSet):
    model = PlanQuestion
    edit_view_class = QuestionEditView
    icon = "help"
    menu_label = "Questions and answers"
    list_display = ["text", "section", "answer_edited_by", "answer_edited_at"]
    list_filter = ["section"]
    search_fields = ["text"]
    copy_view_enabled = False


class ActivityViewSet(SnippetViewSet):
    model = Activity
    icon = "date"
    list_display = ["title", "phase", "audience", "start_date", "end_date", "status"]
    list_filter = ["phase", "audience", "status"]
    search_fields = ["title", "description"]


class EndorserViewSet(SnippetViewSet):
    model = Endorser
    icon = "user"
    list_display = ["name", "role", "phase", "audience"]
    list_filter = ["phase", "audience"]


class KpiViewSet(SnippetViewSet):
    model = Kpi
    icon = "success"
    menu_label = "KPIs"
    list_display = ["title", "metric", "baseline_period", "target"]


class CampaignIntroViewSet(SnippetViewSet):
    model = CampaignIntro
    icon = "openquote"
    menu_label = "Intro text"


class CampaignViewSetGroup(SnippetViewSetGroup):
    items = (
        PlanQuestionViewSet,
        ActivityViewSet,
        EndorserViewSet,
        KpiViewSet,
        CampaignIntroViewSet,
    )
    menu_icon = "tasks"
    menu_label = "Campaign"
    menu_name = "campaign"


register_snippet(CampaignViewSetGroup)
