"""The attribution the Open Government Licence v3.0 asks for, in one place."""

OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
OGL_NAME = "Open Government Licence v3.0"
PACK_SOURCE = "NPSA, Trusted Research implementation – communications pack"
PLAN_SOURCE = "NPSA, Trusted Research campaign implementation plan"
PACK_ATTRIBUTION = f"Source: {PACK_SOURCE}, {OGL_NAME}"
PLAN_ATTRIBUTION = f"Source: {PLAN_SOURCE}, {OGL_NAME}"
CROWN_COPYRIGHT = "© Crown copyright 2024"
