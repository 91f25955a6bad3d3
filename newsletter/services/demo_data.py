"""What the demo's fictional university writes: the words ``load_demo_content`` fills in.

Everything here is invented for the University of Exampleshire (addresses on example.ac.uk, a
reserved name): answers to the campaign plan's questions, endorsers, activities, the values of
the pack's ``[insert …]`` prompts and the newsletter sections. Dates are offsets from the day the
demo is loaded, so the calendar always shows the coming weeks.
"""

from campaign.models import Audience, Phase

INSTITUTION = "University of Exampleshire"
RESEARCH_OFFICE = "Research and Innovation Office"
CONTACT_NAME = "Dr Sam Patel"
CONTACT_ROLE = "Research Security Manager"
CONTACT_EMAIL = "research-security@example.ac.uk"
GUIDANCE_URL = "https://www.example.ac.uk/research/trusted-research"
TRAINING_URL = "https://www.example.ac.uk/research/trusted-research/training"
POST_AUTHORS = ("Professor Priya Raman, School of Physics and Astronomy", CONTACT_NAME)
INTRO_AUTHOR = "Professor Helen Carter, Pro Vice-Chancellor for Research"

# The pack's prompts, by a phrase of the prompt (lower case) → the value the office wrote.
PROMPT_VALUES = {
    "research area": "quantum sensing",
    "research questions": (
        "how to measure tiny changes in gravity and magnetic fields outside the laboratory"
    ),
    "what you knew about research security": (
        "keeping my laptop secure and not sharing unpublished results too early"
    ),
    "outline an international collaboration": (
        "a joint project on portable quantum gravimeters with an overseas partner showed me that "
        "our sensors could serve defence as well as civil engineering, and I worked with our "
        "research office to agree clear terms on data, equipment and visiting researchers before "
        "we signed"
    ),
    "insert examples": "quantum technologies, advanced materials and other dual-use research",
    "explain how trusted research": (
        "asking the right questions early has opened doors: partners trust us with their data, "
        "and twice it has steered my group away from collaborations that would have put our "
        "work at risk"
    ),
    "offering": (
        "tailored advice, one-to-one support, due diligence checks on new partners and termly "
        "training"
    ),
    "insert role": CONTACT_ROLE,
    "digital displays": "the digital screens in the library and the Students’ Union",
    "due diligence process": (
        "Before any new international partnership is signed, the Research and Innovation Office "
        "checks the partner, the funder and the end use of the research with a short online "
        "form the lead researcher completes. Most checks take five working days; higher-risk "
        "ones go to the Research Security Review Group, which meets every fortnight. You can "
        "read the process, and book a drop-in clinic, on the Trusted Research pages of the "
        "staff intranet."
    ),
}

# The newsletter's written sections, by a phrase of the prompt, for each demo issue.
ISSUE_TEXTS = (
    {
        "introduction from the senior": (
            "Welcome to the first Trusted Research newsletter. International collaboration is "
            "at the heart of our research, and keeping it secure is part of doing it well. In "
            "this issue: a partnership done right, this term's training and the figures behind "
            "our work."
        ),
        "case study": (
            "When an overseas partner approached our School of Engineering, the team used the "
            "due diligence checklist early, asked the Research and Innovation Office for an "
            "export control check and signed within six weeks, with clear terms on data and "
            "equipment."
        ),
        "training material": (
            "Take the NPSA Trusted Research e-learning (about 30 minutes), then join one of our "
            "lunchtime sessions."
        ),
        "highlights": (
            "Our review group met the Research Collaboration Advice Team (RCAT) about two new "
            "partnerships, and three colleagues brought back practical tips from the HEECA "
            "export control forum."
        ),
        "changes in institutional policies": (
            "Every new international agreement now records an end-user check before signature."
        ),
    },
    {
        "introduction from the senior": (
            "Our Pride and Joy campaign starts this month. Thank you to everyone who came to the "
            "first sessions: more than a hundred of you asked questions we are now answering on "
            "the intranet. Please come to a drop-in clinic before your next partnership."
        ),
        "case study": (
            "A PhD student in the quantum sensing group spotted an unusual request for detailed "
            "designs from a conference contact and asked the Research and Innovation Office. "
            "The check took a day, the request was declined politely, and the group now shares "
            "its own checklist with visitors."
        ),
        "training material": (
            "New this term: a 20-minute Trusted Research module for professional services "
            "staff, on the staff learning platform."
        ),
        "highlights": (
            "The Research Security Review Group looked at four cases this month and approved all "
            "four with conditions; RCAT's advice helped us settle the hardest in a week."
        ),
        "changes in institutional policies": (
            "The travel policy now asks staff travelling for research to check the destination's "
            "advice with the Research and Innovation Office before they book."
        ),
    },
)

# Answers to the plan's questions, by pack key ("scoping-1", "educate-2", …).
ANSWERS = {
    "scoping-1": "Quantum technologies, advanced materials, AI and the medical school's genomics "
    "work, and the 40 or so researchers who lead partnerships abroad.",
    "scoping-2": "Yes: NPSA's briefing to the sector and our own incident log show approaches to "
    "researchers, phishing aimed at research groups and unusual requests for designs.",
    "scoping-3": "Moderate overall, high for about a dozen groups in dual-use areas with "
    "partners in countries of concern.",
    "scoping-4": "Low for dual-use research and sensitive data; we welcome open collaboration "
    "elsewhere. Our main funders expect Trusted Research checks before award.",
    "scoping-5": "Cyber Essentials Plus across the estate, secure research environments for "
    "sensitive data, and building access controls for the quantum and materials labs.",
    "scoping-6": "A documented due diligence process, training for every researcher in an "
    "at-risk area and a review group. These augment the export control checks we already run.",
    "educate-1": "Yes: the Research Security Review Group keeps a register of at-risk groups, "
    "updated every term with the heads of school.",
    "educate-2": "Physics and Astronomy, Engineering, Computer Science, Chemistry and the "
    "Medical School, plus the two spin-out companies in the science park.",
    "educate-3": "Mostly; the register lists each at-risk project, and new projects are "
    "checked when the funding application goes in.",
    "educate-4": "Through the heads of school and research directors, the research staff "
    "newsletter and this portal.",
    "educate-5": "Yes: each head of school hosts a 30-minute Trusted Research discussion at a "
    "staff meeting this term, with the Research Security Manager.",
    "educate-6": "Management briefings, intranet articles, departmental meetings and the "
    "monthly newsletter.",
    "enable-1": "Check new partners and funders, agree terms on data and equipment before "
    "signing, report unusual approaches, and travel with a clean laptop where advised.",
    "enable-2": "Yes: researchers in at-risk areas complete the full training and a due "
    "diligence check for every new partner; everyone else completes the e-learning.",
    "enable-3": "Complete the e-learning, record due diligence in the research management "
    "system and ask the Research and Innovation Office before signing an agreement.",
    "enable-4": "E-learning for everyone, team training for at-risk groups, and drop-in clinics "
    "for anyone with a question.",
    "enable-5": "On the Trusted Research pages of the intranet, linked from this portal.",
    "environment-1": "Mostly: the due diligence form takes about 20 minutes, and the research "
    "office answers within five working days.",
    "environment-2": "It is now: one page on the intranet links to everything.",
    "environment-3": "The research management system asks the Trusted Research questions when a "
    "funding application is created.",
    "environment-4": "Yes: the Research Security Manager runs weekly drop-in clinics.",
    "environment-5": "Heads of school talk about Trusted Research at staff meetings, and the "
    "senior team completed the training first.",
    "environment-6": "Increasingly: research groups in quantum sensing and materials have "
    "peer champions.",
    "environment-7": "Not yet: we aim for a champion in every at-risk group by the summer.",
}

ENDORSERS = (
    (
        "Professor Helen Carter",
        "Pro Vice-Chancellor for Research",
        Phase.ENDORSEMENT,
        Audience.ACADEMIC,
    ),
    ("Professor Priya Raman", "Head of Quantum Sensing", Phase.EDUCATE, Audience.ACADEMIC),
    ("James Okafor", "Chief Operating Officer", Phase.ENVIRONMENT, Audience.NON_ACADEMIC),
    (
        "Dr Lena Fischer",
        "Chief Executive, Exampleshire Quantum Ltd",
        Phase.ENCOURAGE,
        Audience.SPIN_OFF,
    ),
    ("Rachel Osei", "Head of Information Security", Phase.ENABLE, Audience.NON_ACADEMIC),
    ("Dr Tom Hughes", "Director of Strategic Planning", Phase.EVALUATE, Audience.NON_ACADEMIC),
)

# Activities: title, phase, audience, channel, start (days from today), length in days,
# description. Training sessions carry "training" in the channel. The first ones are days away,
# so the calendar's current month has entries whatever the day of the month.
ACTIVITIES = (
    (
        "Senior leadership briefing",
        Phase.ENDORSEMENT,
        Audience.NON_ACADEMIC,
        "Management briefing",
        -14,
        1,
        "The Research Security Manager briefs the senior team on the campaign.",
    ),
    (
        "Trusted Research induction",
        Phase.EDUCATE,
        Audience.ACADEMIC,
        "Face-to-face training",
        3,
        1,
        "A one-hour introduction for new research staff and PhD students, with case studies.",
    ),
    (
        "Pride and Joy campaign launch",
        Phase.EDUCATE,
        Audience.ACADEMIC,
        "Intranet article and posters",
        9,
        5,
        "The campaign week: posters, digital displays and an article from the Pro Vice-Chancellor.",
    ),
    (
        "Due diligence drop-in clinic",
        Phase.ENABLE,
        Audience.ACADEMIC,
        "Drop-in clinic",
        1,
        1,
        "Bring your partnership questions to the Research and Innovation Office: no need to book.",
    ),
    (
        "Export controls and the NSI Act for heads of school",
        Phase.ENABLE,
        Audience.ACADEMIC,
        "Team training",
        20,
        1,
        "What needs a licence, what needs a notification, and who to ask.",
    ),
    (
        "Trusted Research for professional services",
        Phase.ENABLE,
        Audience.NON_ACADEMIC,
        "Online training",
        30,
        1,
        "A lunchtime session for contracts, finance and IT staff who support research.",
    ),
    (
        "Research security for spin-out founders",
        Phase.ENCOURAGE,
        Audience.SPIN_OFF,
        "Workshop training",
        45,
        1,
        "Protecting your technology and your investors: a workshop with the science park.",
    ),
    (
        "Campaign evaluation survey",
        Phase.EVALUATE,
        Audience.ACADEMIC,
        "Staff survey",
        70,
        14,
        "Tell us what you know about Trusted Research now, and what would help.",
    ),
)

# KPI baselines: a phrase of the pack KPI's title → (metric slug, target).
KPI_MEASURES = {
    "documented process": ("due-diligence-checks", 40),
    "memoranda of understanding": ("international-collaborations", 6),
}
OWN_KPI = ("Training and awareness events each month", "training-events", 6)
