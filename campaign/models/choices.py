"""The campaign's fixed vocabularies: phases, sections of the plan, audiences, statuses."""

from django.db import models

from campaign.plan_text import STAKEHOLDER_GROUPS


class Phase(models.TextChoices):
    EDUCATE = "educate", "Educate"
    ENABLE = "enable", "Enable"
    ENVIRONMENT = "environment", "Environment"
    ENCOURAGE = "encourage", "Encourage"
    EVALUATE = "evaluate", "Evaluate"
    ENDORSEMENT = "endorsement", "Endorsement"


class Section(models.TextChoices):
    """Where a question sits in the plan: the scoping questions or one of the phases."""

    SCOPING = "scoping", "Scoping your campaign"
    EDUCATE = Phase.EDUCATE.value, Phase.EDUCATE.label
    ENABLE = Phase.ENABLE.value, Phase.ENABLE.label
    ENVIRONMENT = Phase.ENVIRONMENT.value, Phase.ENVIRONMENT.label
    ENCOURAGE = Phase.ENCOURAGE.value, Phase.ENCOURAGE.label
    EVALUATE = Phase.EVALUATE.value, Phase.EVALUATE.label
    ENDORSEMENT = Phase.ENDORSEMENT.value, Phase.ENDORSEMENT.label


class Audience(models.TextChoices):
    """The plan's three stakeholder groups (see ``plan_text.STAKEHOLDER_GROUPS``)."""

    ACADEMIC = STAKEHOLDER_GROUPS[0][0], STAKEHOLDER_GROUPS[0][1]
    NON_ACADEMIC = STAKEHOLDER_GROUPS[1][0], STAKEHOLDER_GROUPS[1][1]
    SPIN_OFF = STAKEHOLDER_GROUPS[2][0], STAKEHOLDER_GROUPS[2][1]


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
