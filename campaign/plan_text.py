"""The "Campaign implementation plan" (seed 003) and the pack's "Pride and Joy" text, as data.

The plan states no publisher, year or licence: the portal credits it by its title
(``comms.licence.PLAN_CREDIT``). The "Pride and Joy" text is from the comms pack (© Crown
Copyright 2024, source NPSA, Open Government Licence v3.0). Kept verbatim; only cleaned for
reading (list markers, a stray "○", a broken line and a "#" link placeholder fixed).
``campaign.pack.load`` writes it into the portal.
"""

ESB_5ES_URL = "https://www.npsa.gov.uk/resources/embedding-security-behaviours-using-5es"

# The plan's three stakeholder groups: the audiences an activity or endorser can address.
STAKEHOLDER_GROUPS = (
    (
        "academic",
        "Academic staff and research groups",
        "such as heads of department, principal investigators, post-doctoral researchers "
        "and students",
    ),
    (
        "non_academic",
        "Non-academic staff",
        "such as legal departments, IT and cyber security staff, and departments responsible "
        "for buildings management, intellectual property (IP), human resources, international "
        "collaboration and trade",
    ),
    (
        "spin_off",
        "Spin-off companies",
        "which are associated or affiliated with your institution",
    ),
)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


PLAN_PAGE = {
    "title": "Campaign implementation plan",
    "intro": (
        "<p>This guidance is designed to support research organisations, including "
        "universities, to run campaigns which implement the advice and guidance outlined in "
        "Trusted Research for Academics and Guide for Senior Leaders.</p>"
        "<p>Trusted Research aims to support UK universities and research institutions in "
        "making informed decisions about international collaboration and, in doing so, "
        "protecting their own researchers and academic values. The advice in Trusted Research "
        "has been produced in collaboration with universities and the research community in "
        "the UK.</p>"
        "<p>This guide provides a practical framework to embed security behaviours and support "
        "an environment which sustains these behaviours within universities. The advice is "
        "based on a framework called "
        f'<a href="{ESB_5ES_URL}">Embedding Security Behaviours: using the 5Es</a>.</p>'
    ),
    "audience": (
        "<p>This implementation guidance has been produced for the person (or teams) "
        "responsible for the security of research and personnel at your institution. It will "
        "help to implement and sustain the security behaviours appropriate for your institution "
        "with key stakeholders including:</p>"
        + _ul(
            *(
                f"{label} ({detail})" if detail.startswith("such as") else f"{label} {detail}"
                for _, label, detail in STAKEHOLDER_GROUPS
            )
        )
    ),
    "scoping": (
        "<p>In order to implement a Trusted Research campaign based on the 5Es framework, it is "
        "crucial that your institution understands the security behaviours it requires from "
        "its employees. Each university is different and you will need to develop processes "
        "which work for your institution and staff (academic and non-academic) and complement "
        "your existing security arrangements.</p>"
        "<p>You may wish to consider the following questions:</p>"
    ),
    "implementation": (
        "<p>Once your university has decided on the roles and behaviours it requires from its "
        "people to protect its research, staff and reputation, the 5Es framework can be used to "
        "embed and sustain security behaviours. This guidance is not directive as the structure "
        "and needs of each institution vary. Consider how you can adapt these principles for "
        "your institution. The following pages detail each stage of change management.</p>"
    ),
    "useful_links": _ul(
        f'<a href="{ESB_5ES_URL}">Embedding Security Behaviours Using the 5Es</a>',
        '<a href="https://www.gov.uk/guidance/academic-technology-approval-scheme">'
        "Academic Technology Approval Scheme (ATAS)</a>",
        '<a href="https://ico.org.uk/for-organisations/guide-to-data-protection/'
        'guide-to-the-general-data-protection-regulation-gdpr/">'
        "Responsibilities for General Data Protection Regulations (GDPR)</a>",
        '<a href="https://www.gov.uk/government/organisations/export-control-organisation">'
        "UK Export Control, the Department for International Trade Export Control Joint Unit "
        "(ECJU)</a>",
        '<a href="https://www.gov.uk/government/publications/intellectual-property-for-business/'
        'ip-for-business-tools">Intellectual Property Office (IPO) Lambert Toolkit</a>',
    ),
}

# Each question: (text, detail as rich text or ""). Keyed by section; order is the plan's.
SCOPING_QUESTIONS = (
    ("Which research and staff are most at risk?", ""),
    ("Do you understand the security threats that are currently facing your institution?", ""),
    (
        "What level of security risk are staff and research exposed to, particularly those "
        "involved in international collaboration?",
        "",
    ),
    (
        "What is your university's risk appetite (and that of key collaboration and funding "
        "partners)?",
        "",
    ),
    ("What level of protective and cyber security is appropriate at your institution?", ""),
    (
        "What interventions and changes will you need to introduce and embed to achieve this "
        "level of security? Will this augment any existing practices or replace them?",
        "",
    ),
)

# The six phases: slug, title, guidance (before the questions), heading of the questions,
# the questions, further guidance (after them).
PHASES = (
    {
        "slug": "educate",
        "title": "Educate",
        "guidance": (
            "<p>The base level of understanding of the threat to research from hostile states "
            "may vary between institutions as well as within each institution among different "
            "stakeholder groups. In this first phase of the framework:</p>"
            + _ul(
                "Educate staff on the security threat to them, their research and the institution",
                "Educate staff on the benefits to them of adopting the security behaviours and "
                "the consequences if they fail to do so",
                "Educate staff on why the threats matter to the institution",
            )
        ),
        "questions_heading": "Questions to ask",
        "questions": (
            (
                "Do you know who within your institution could be at risk from state actors "
                "hostile to UK interests?",
                "",
            ),
            (
                "Have you identified the relevant departmental areas or research groups that "
                "are most likely to be carrying out international collaboration?",
                "<p>These could be, but not limited to, researchers in STEM subjects, potential "
                "dual-use technologies (civil-military), emerging technologies and commercially "
                "sensitive research areas.</p>",
            ),
            (
                "Do you and your research community know what research could be at risk?",
                "<p>This is most likely to be STEM subjects, potential dual-use technologies "
                "(civil-military), emerging technologies and commercially sensitive research "
                "areas where there is international collaboration or funding. You can ask heads "
                "of department or individual researchers to consider the questions below in "
                "relation to their ongoing and prospective research collaborations.</p>"
                "<p>To assess which research could be at risk you might want to consider:</p>"
                + _ul(
                    "Whether information about the application of these areas of research could "
                    "cause any ethical or moral concerns for the institution, research group or "
                    "individual academics",
                    "Whether the research is likely to be subject to UK or other countries' "
                    "export licence controls",
                    "Whether the research contains sensitive data or personally identifiable "
                    "information that is not available from open source or open source datasets "
                    "that are combined in a unique way. This may include genetic or medical "
                    "information, population datasets, details of individuals or commercial "
                    "test data",
                    "Whether the research is likely to have a future commercial or patentable "
                    "outcome which you or your organisation would want to benefit from",
                ),
            ),
            (
                "Having identified stakeholders, such as specific researchers, groups or "
                "departments, what is the best way to reach them?",
                "",
            ),
            (
                "Could you, or relevant heads of department or group, facilitate a discussion of "
                "the key themes in Trusted Research with these groups?",
                "",
            ),
            (
                "How can this be best communicated? E.g. management briefings, intranet "
                "articles, departmental meetings.",
                "",
            ),
        ),
        "further": "",
    },
    {
        "slug": "enable",
        "title": "Enable",
        "guidance": (
            "<p>Enable staff to adopt the security practices that are right and proportionate "
            "for them and the institution by providing easily accessible training and reference "
            "materials. Consider the following points:</p>"
        ),
        "questions_heading": "Consider the following points",
        "questions": (
            ("What security behaviours are expected of staff?", ""),
            (
                "Will this vary depending on their roles or involvement in sensitive research "
                "and international collaboration?",
                "",
            ),
            (
                "What does each staff member or group need to do in order to demonstrate "
                "compliance with the institution's security policy?",
                "",
            ),
            (
                "What is the best method of delivery for information and training to each "
                "target group? E.g. E-learning packages, team training, away days, a mentoring "
                "system",
                "",
            ),
            ("Where should reference materials on security policies be accessed and stored?", ""),
        ),
        "further": (
            "<h3>General principles for training and information</h3>"
            "<p>Training should enable staff to:</p>"
            + _ul(
                "Understand the criteria and process for assessing whether research is sensitive "
                "or at risk",
                "Know what risk mitigations are appropriate or know where to seek advice",
                "Document the process of risk assessment and mitigation for sensitive research "
                "and international collaboration",
                "Know where to report risk assessment and mitigation",
                "Know where to get advice on identifying, managing and documenting risk or "
                "security procedures",
            )
            + "<h3>Areas to consider</h3>"
            "<p><b>Due diligence</b> – what information is provided to schools, departments "
            "and/or researchers on the institution's requirements for due diligence for "
            "international partners?</p>"
            "<p><b>Security of research and personal data</b> – is training and information "
            "available for staff to support the security of research and data which is held on "
            "the university's network?</p>"
            "<p>Your IT service department can assist you in developing security measures which "
            "meet your needs and are compatible with your IT systems. Further guidance is "
            'available via <a href="https://www.ncsc.gov.uk">NCSC.gov.uk</a>.</p>'
            "<p><b>Legalities</b> – do staff have appropriate information on legal compliance "
            "that includes export control, contracting, IP and GDPR (General Data Protection "
            "Regulations)?</p>"
            "<p>Your agreements with international partners must comply with UK law, avoid harm "
            "to the UK's interests, and address potential threats to the integrity and "
            "reputation of your university.</p>"
        ),
    },
    {
        "slug": "environment",
        "title": "Environment",
        "guidance": (
            "<p>Create an environment which makes it easy for staff to follow security "
            "processes; aim for this to become an accepted part of day-to-day working "
            "practice.</p>"
        ),
        "questions_heading": "Consider the following",
        "questions": (
            (
                "Does the current work environment make it easy for staff to follow security "
                "procedures? Are security processes simple to follow?",
                "",
            ),
            ("Is security-related information easy to find?", ""),
            (
                "Do the necessary forms, processes and IT systems make it easy to comply with "
                "security practices?",
                "",
            ),
            (
                "Do staff have easy access to the IT, materials and people they need to complete "
                "security?",
                "",
            ),
            (
                "Does the social environment promote and normalise good security? Do managers "
                "and senior colleagues lead by example?",
                "",
            ),
            (
                "Do peers support one another with security tasks and challenge a lack of "
                "security compliance?",
                "",
            ),
            ("Is there a security champion in each team?", ""),
        ),
        "further": (
            "<h3>Ideas to shape the environment</h3>"
            + _ul(
                "Review existing security processes so they are easy to follow and fit for purpose",
                "Work with your IT department or provider to ensure IT systems meet security needs",
                "Include compliance with security in performance appraisals",
                "Provide security training on induction and regular top-up training to ensure "
                "that staff are up to date on threat, policy and processes",
                "Consider using tools, such as management briefing or blogs, in addition to "
                "posters, intranet pop-ups or other workplace reminders",
            )
        ),
    },
    {
        "slug": "encourage",
        "title": "Encourage",
        "guidance": (
            "<p>Encourage and sustain good security behaviour by providing feedback, as well as "
            "soft and hard incentives.</p>"
            "<p>Consider the following:</p>"
            + _ul(
                "Provide feedback for staff, including acknowledgement and thank-you messages "
                "from the Head of Security, heads of department or other senior staff members "
                "which highlight good behaviours",
                "Provide feedback on security performance during career appraisals and team "
                "meetings",
                "Encourage feedback on security performance in meetings with external research "
                "partners and funders",
                "Publicise blogs and articles on positive and negative security case studies. "
                "These could be examples from your own or other institutions",
                "Provide soft and hard incentives to encourage good security",
                "Use incentives that will motivate your staff - academic and non-academic - and "
                "partner organisations most effectively. Thank staff for reporting a security "
                "concern or successfully managing a higher risk international collaboration",
                "Include compliance security requirements in contractual obligations and "
                "employment terms and conditions",
                "Include clauses in memoranda of understanding for international collaboration "
                "which include compliance with the security requirements set out by your "
                "institution",
            )
        ),
        "questions_heading": "",
        "questions": (),
        "further": "",
    },
    {
        "slug": "evaluate",
        "title": "Evaluate",
        "guidance": (
            "<p>Your institution will want to evaluate the extent to which time, resources and "
            "costs involved have improved security and whether improvements or modifications of "
            "the process are required.</p>"
            "<p>Evaluation will also provide evidence of your institution's recent track record "
            "on protecting research, which could provide reassurance and incentivise funding "
            "partners.</p>"
            "<p>Identify your key performance indicators for measures of success against which "
            "your institution will evaluate progress.</p>"
            "<p>These will vary for each institution but may include:</p>"
        ),
        "questions_heading": "",
        "questions": (),
        "further": (
            "<h3>Evaluation metrics</h3>"
            "<p>Consider evaluation metrics prior to the implementation of a new security "
            "campaign as well as after to gain a better measure of the impact of your security "
            "improvements. Identify which metrics are currently available for institutions such "
            "as IT reports, memoranda of understanding, audits etc.</p>"
            "<p>Augment by conducting staff surveys, focus groups or similar.</p>"
        ),
    },
    {
        "slug": "endorsement",
        "title": "Endorsement",
        "guidance": (
            "<p>The effect of implementing a Trusted Research campaign through the 5Es framework "
            "will be enhanced if staff see that they are endorsed by credible sources. These can "
            "be both internal and external to the organisation, e.g. senior academics with "
            "experience of international collaboration, subject matter experts in areas such as "
            "hostile states, cyber security or risk managers.</p>"
            "<p>When planning each phase of implementing security measures, think about who will "
            "be the voice of this phase of the campaign. Who can make the messages resonate with "
            "your stakeholders?</p>"
            "<p>Different groups of staff may require endorsement from different people. "
            "Corporate staff may respond well to a briefing by the Head of Security or a "
            "security manager, whilst academics may relate best to endorsement by industry "
            "partners or academics in the same field.</p>"
            "<p>The message must be visible and consistently endorsed from the top of the "
            "organisation. Leaders can endorse in a range of ways, including inclusion and "
            "dissemination of key messages on security, attendance at security events, briefings "
            "and blogs.</p>"
            "<p>Consider the following:</p>"
            + _ul(
                "External speakers from industry or government funding bodies",
                "TED-style talks, articles and case studies from subject matter experts on the "
                "potential threat from hostile states",
                "Academics with experience of international collaboration talking about the "
                "benefits of protecting research",
                "Speakers and case studies from other universities who are engaged in "
                "international research collaboration.",
                "Workshops and Q&amp;As with security experts and risk management consultants",
                "Talks, blogs, briefings and articles from the Vice Chancellor, senior academics, "
                "heads of security and TTEOs on the importance of good research security",
            )
        ),
        "questions_heading": "",
        "questions": (),
        "further": "",
    },
)

# The Evaluate phase's example key performance indicators.
KPIS = (
    "Appointing a Head of Risk for International Collaboration or similar role responsible for "
    "managing the risk",
    "Creating and adopting a documented process to assess and manage risk for international "
    "research collaborations",
    "Adding compliance with security requirements to employment terms and conditions",
    "Including clauses in memoranda of understanding for international collaboration which "
    "require all parties to match your institution's security requirements",
)

# The pack's "Pride and Joy" campaign text (seed 000), its [insert] placeholders kept.
INTRO_TITLE = (
    "Trusted Research Pride and Joy campaign: introduction text for internal/external mailing lists"
)
INTRO_BODY = (
    "<p>Trusted Research is a joint NPSA and NCSC campaign which provides guidance for "
    "researchers and staff to help protect sensitive research from the risks inherent in "
    "international academic collaboration. NPSA and NCSC have recently launched a new "
    "promotional campaign to drive further engagement and awareness of the Trusted Research "
    "agenda across the sector. Known as ‘Pride and Joy’ it emphasises that your research is "
    "precious and should be treated as such.</p>"
    "<p>Here at <b>[insert organisation name]</b> we take research security seriously and strongly "
    "support the Trusted Research agenda. You may have seen <b>[the research department/our "
    "Director of Research/the organisation highlight the adverts on LinkedIn]</b> and/or <b>[the "
    "digital displays around campus]</b> or perhaps come across the adverts on Research Gate. We "
    "encourage you to visit the NPSA website and check out the available guidance and share the "
    "campaign with your colleagues.</p>"
    "<p>Insert if appropriate: We are developing new training and awareness sessions based on "
    "the new material from NPSA, using case studies and scenarios to help explain the potential "
    "risks and help you identify sensible and appropriate steps you can take to mitigate those "
    "risks. Please keep an eye out for those sessions, which will be running in [insert "
    "date].</p>"
    "<p>You can find all the latest material, which includes simple step-by-step checklists, "
    "accessible and relevant guidance, and training resources on the "
    '<a href="https://www.npsa.gov.uk/trusted-research">NPSA website</a>, and the '
    "<b>[insert organisation name]</b> guidance is available <b>[insert link]</b>. For more "
    "information, contact <b>[insert organisational PoC name and role/job title]</b>.</p>"
)
