from .activities import Activity, Endorser
from .choices import ActivityStatus, Audience, Phase, Section
from .intro import CampaignIntro
from .pages import CampaignPhasePage, CampaignPlanPage
from .plan import Kpi, PlanQuestion

__all__ = [
    "Activity",
    "ActivityStatus",
    "Audience",
    "CampaignIntro",
    "CampaignPhasePage",
    "CampaignPlanPage",
    "Endorser",
    "Kpi",
    "Phase",
    "PlanQuestion",
    "Section",
]
