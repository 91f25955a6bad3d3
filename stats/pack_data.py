"""The NPSA 'Trusted Research implementation – communications pack' content this app loads.

© Crown Copyright 2024, Open Government Licence v3.0, source NPSA. Shipped as data (not read
from the seed file at run time). The text is the pack's, verbatim, with the seed's stray
markup removed: list prefixes ("- 13.**"), numbering and footnote markers ("¹", "²").
"""

from datetime import date

ARMA = "arma-complex-collaborations"
UUKI = "uuki-facts-and-figures-2023"

SOURCES = {
    ARMA: {
        "publisher": "Association of Research Managers and Administrators (ARMA)",
        "title": "Complex Collaborations report",
        "year": None,  # the pack names no year for it (only its upload address holds one)
        "url": "https://arma.ac.uk/wp-content/uploads/2023/03/Trusted-Report_Booklet_v7.pdf",
    },
    UUKI: {
        "publisher": "Universities UK International",
        "title": "International facts and figures 2023",
        "year": 2023,
        "url": (
            "https://www.universitiesuk.ac.uk/universities-uk-international/"
            "insights-and-publications/uuki-publications/international-facts-and-figures-2023"
        ),
    },
}

# The pack says "some of these statistics may be based on bibliometrics" without naming them,
# so the caveat travels with every statistic from the UUKI publication (2 to 17).
BIBLIOMETRICS_CAVEAT = (
    "Please note that some of these statistics may be based on bibliometrics, "
    "which have known limitations."
)

# The pack gives no "as of" date for any statistic: a pack statistic's dates are those in its
# claim ("in 2022") and its source's title. ``Statistic.as_of`` is required, so these fill it
# (and bound the review-by date) but are not the pack's: reader pages, emails and cards show no
# "As of" line for a statistic loaded from the pack (``templates/stats/includes/``).
AS_OF = {ARMA: date(2023, 3, 1), UUKI: date(2023, 1, 1)}

# (pack number, figure, claim, source, topics)
STATISTICS = [
    (
        1,
        "84%",
        "84% of research organisations surveyed by ARMA have begun to adapt their processes "
        "in response to the risks highlighted by Trusted Research.",
        ARMA,
        ["research security"],
    ),
    (
        2,
        "61.5%",
        "61.5% of the UK's research output was produced with international co-authors in 2022.",
        UUKI,
        ["collaboration", "publications"],
    ),
    (
        3,
        "Highest",
        "The UK has the highest level of international co-authorship.",
        UUKI,
        ["collaboration", "publications"],
    ),
    (
        4,
        "21.5%",
        "From 2021 to 2022, 21.5% of UK research funding came from international sources.",
        UUKI,
        ["funding"],
    ),
    (
        5,
        "9.7%",
        "From 2021 to 2022, international industry investment in UK university research "
        "grew by 9.7%.",
        UUKI,
        ["funding"],
    ),
    (
        6,
        "US, China, Germany",
        "The UK's top research collaboration partners are the US, China and Germany.",
        UUKI,
        ["collaboration"],
    ),
    (
        7,
        "Highest",
        "The UK has the highest field-weighted citation impact.",
        UUKI,
        ["publications"],
    ),
    (
        8,
        "23.8%",
        "International students make up 23.8% of the total UK student population.",
        UUKI,
        ["international students"],
    ),
    (
        9,
        "45.4%",
        "International students make up 45.4% of all postgraduate students in the UK.",
        UUKI,
        ["international students"],
    ),
    (
        10,
        "2nd",
        "The UK is the second most popular destination for international students.",
        UUKI,
        ["international students"],
    ),
    (
        11,
        "2nd and 3rd",
        "Engineering and technology, and computing were the second and third most popular "
        "subject areas for international students, respectively.",
        UUKI,
        ["international students"],
    ),
    (
        12,
        "32%",
        "International academic staff represent almost a third (32%) of all academic staff "
        "in the UK.",
        UUKI,
        ["international staff"],
    ),
    (
        13,
        "558,085",
        "The UK is a world leader in transnational education (TNE). From 2021 to 2022, "
        "160 UK universities delivered TNE to over half a million (558,085) students in over "
        "230 countries.",
        UUKI,
        ["transnational education"],
    ),
    (
        14,
        "4th",
        "The UK was the fourth largest producer of research publications in 2022.",
        UUKI,
        ["publications"],
    ),
    (
        15,
        "China, US, India",
        "In 2022, the top three producers of research publications were China, the US and "
        "India, respectively.",
        UUKI,
        ["publications"],
    ),
    (
        16,
        "Largest growth",
        "In the past decade, the UK has seen the largest growth in internationally "
        "co-authored publications.",
        UUKI,
        ["collaboration", "publications"],
    ),
    (
        17,
        "Top 10: STEM",
        "The UK's top 10 areas of international co-authorship were all STEM subjects "
        "(with the possible exception of multidisciplinary research).",
        UUKI,
        ["collaboration", "publications"],
    ),
]

# The newsletter template's "Trusted Research in numbers" list, one metric per line.
METRICS = [
    {
        "slug": "nsi-act-notifications",
        "name": "National Security and Investment Act notifications",
        "description": "The number of mandatory and/or voluntary notifications made under the "
        "National Security and Investment Act.",
        "unit": "notifications",
        "how_counted": "Count mandatory and voluntary notifications submitted in the period.",
    },
    {
        "slug": "export-control-licences",
        "name": "Export control licences",
        "description": "The number of export control licences requested and/or granted.",
        "unit": "licences",
        "how_counted": "Count licence applications made in the period; say in the note how "
        "many were granted.",
    },
    {
        "slug": "end-user-checks",
        "name": "End-user checks",
        "description": "The number of end-user checks submitted.",
        "unit": "checks",
        "how_counted": "Count end-user checks submitted in the period.",
    },
    {
        "slug": "due-diligence-checks",
        "name": "Due diligence checks",
        "description": "The number of due diligence checks undertaken.",
        "unit": "checks",
        "how_counted": "Count due diligence checks completed in the period.",
    },
    {
        "slug": "training-events",
        "name": "Training and awareness events",
        "description": "The number of Trusted Research training and/or awareness events run.",
        "unit": "events",
        "how_counted": "Count sessions delivered in the period (each repeat counts once).",
    },
    {
        "slug": "comms-engagement",
        "name": "Staff engagement with research security comms",
        "description": "A metric for staff engagement with the institution's research "
        "security comms.",
        "unit": "",
        "how_counted": "Recorded by the portal each month: signed-in staff reading research "
        "security pages on the intranet (each person once per page per day), plus the people "
        "who clicked a link in a newsletter sent that month. Nobody's reading is recorded by "
        "name. A figure entered here by hand replaces the portal's for that month.",
    },
    {
        "slug": "international-collaborations",
        "name": "International collaborations stood up",
        "description": "A metric for the number of international collaborations "
        "successfully stood-up.",
        "unit": "collaborations",
        "how_counted": "Count agreements signed in the period after Trusted Research review.",
    },
]
