"""Attribution for the two source documents, each as the document itself states it.

The comms pack ("Trusted Research implementation – communications pack") ends with "© Crown
Copyright 2024", licenses itself under the Open Government Licence v3.0 and asks for NPSA as the
source with a link to the licence: content from it carries all of that. The "Campaign
implementation plan" states no publisher, no year and no licence: content from it is credited by
its title only, and never under the pack's copyright line or licence.
"""

OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
OGL_NAME = "Open Government Licence v3.0"
PACK_TITLE = "Trusted Research implementation – communications pack"
PACK_SOURCE = f"NPSA, {PACK_TITLE}"
# Stored on each pack statistic (``Statistic.attribution``): changing it rewrites those rows.
PACK_ATTRIBUTION = f"Source: {PACK_SOURCE}, {OGL_NAME}"
CROWN_COPYRIGHT = "© Crown Copyright 2024"  # as the pack prints it
PLAN_TITLE = "Campaign implementation plan"
PLAN_CREDIT = (
    f"Source: “{PLAN_TITLE}”, guidance for research organisations running a Trusted Research "
    "campaign"
)

# The disclaimer in one short paragraph, for emails, which link to the full text on the issue's
# web page (its footer, id "disclaimer").
PACK_DISCLAIMER_SHORT = (
    "Parts of this newsletter come from the NPSA and NCSC Trusted Research communications pack, "
    "provided for information only, without warranty and without liability."
)

# The pack's disclaimer, verbatim: shown wherever pack content appears (e.g. newsletter issues).
PACK_DISCLAIMER = (
    "This resource has been prepared by NPSA and NCSC and is intended to aid academic "
    "institutions to help them understand and mitigate security risks arising from research, in "
    "combination with additional resources and the application of institutions' own judgement. "
    "This document is provided on an information basis only, and while NPSA and NCSC have used "
    "all reasonable care in producing it, NPSA and NCSC provides no warranty as to its accuracy "
    "or completeness.",
    "It is important to emphasise that no security measures are proof against all threats. You "
    "remain entirely responsible for the security of your own sites and/or business, and "
    "compliance with any applicable law and regulations. You must use your own judgement as to "
    "whether and how to implement our recommendations, seeking your own legal/professional "
    "advice as required.",
    "To the fullest extent permitted by law, NPSA and NCSC accept no liability whatsoever for "
    "any expense, liability, loss, damage, claim or proceedings incurred or arising as a result "
    "of any error or omission in the document or arising from any person acting or refraining "
    "from acting, relying upon or otherwise using the guidance. This exclusion applies to all "
    "losses and damages whether arising in contract, tort, by statute or otherwise including "
    "where it is a result of negligence. NPSA and NCSC separately and expressly exclude any "
    "liability for any special, indirect and/or consequential losses, including any loss of or "
    "damage to business, market share, reputation, profits or goodwill and/or costs of dealing "
    "with regulators and fines from regulators.",
    "Institutions and individuals have a responsibility to ensure that they comply with all "
    "relevant legal obligations, as well as any other obligations to which they are beholden. "
    "This guidance included in this document should not be considered exhaustive. This guidance "
    "raises issues for consideration but does not dictate or purport to dictate what "
    "conclusions institutions should reach.",
)
