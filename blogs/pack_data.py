"""The pack's two blog templates, as data (© Crown Copyright 2024, NPSA, OGL v3.0).

Source: "Trusted Research implementation – communications pack", section "Blog outlines". Text is
verbatim except for reading fixes: markdown bold became ``<b>``, "-" list prefixes became lists,
the wrapped line inside Blog 1's "[explain how …]" placeholder was joined, the numbered question
groups became headings, and Blog 2's footnote markers (3–9) became links on the items they mark.
"""

from comms.licence import PACK_ATTRIBUTION

LIBRARY_TITLE = "Blog templates"
LIBRARY_INTRO = (
    "<p>The blog templates below have been drafted with ‘<b>[insert]</b>’ sections for "
    "institutions to tailor the content to be relevant to your experiences and processes.</p>"
    "<p>Institutions may wish to make these blogs personalised and linked to the experiences of "
    "staff at their institution. As such, we have recommended who may be best placed to post "
    "these blogs based on the content.</p>"
)
USEFUL_LINKS_NOTE = (
    "<p>At the end of each blog there is a ‘useful links and resources’ section where "
    "institutions can add their own resources or include points of contact for assistance "
    "relating to the blog topic.</p>"
)

_BLOG_1_TEXT = """\
<p>As a specialist in <b>[insert research area here]</b>, and like all academics working in STEM, \
research underpins my whole career. Contributing to academic progress means striving to explore \
new opportunities, which itself means establishing and developing new research partnerships.</p>\
<p>Working with others is often crucial to answering research questions, and in my own case, \
answering research questions about <b>[describe your research questions here e.g. seemingly \
unanswerable/stretching/ground-breaking]</b> depended on international collaboration to expand \
my knowledge and practice.</p>\
<p>At the beginning of my career I was only really aware of <b>[insert what you knew about \
research security risk – this is likely to be a foundational level of understanding]</b>.</p>\
<p>Then, <b>[outline an international collaboration you undertook which was pivotal in your \
understanding of the relevance of research security risk to your area of study/ in which you \
came to know Trusted Research]</b>. But it’s not just <b>[insert your research area here]</b> \
where Trusted Research applies. Trusted Research is good practice to use for all research \
disciplines, but we should be especially stringent in protecting our research when it falls \
within STEM disciplines.</p>\
<p>This is especially the case when our research is in sensitive areas like <b>[insert examples \
here e.g., emerging technology, dual-use technology, commercially sensitive research areas]</b>, \
because these areas are at the most risk from those who want to take this work and use it for \
malign purposes.</p>\
<p>As academics, our research is our pride and joy, we've nurtured it for months and years, and \
we're proud of it. It surely deserves to be taken good care of for its own good, but even more \
so, our careers and reputations depend upon our research. We must protect our research to \
protect these things too.</p>\
<p>So, what is Trusted Research? Trusted Research is advice and guidance that was originally \
created in 2019 by the National Protective Security Authority (NPSA) and the National Cyber \
Security Centre (NCSC) to support the integrity of the system of international research \
collaboration. The guidance was created in consultation with the academic sector and since 2019, \
the NPSA and the NCSC have continued to work collaboratively with the sector to develop further \
iterations of the guidance. The guidance:</p>\
<ul><li>outlines the risks to UK research and innovation</li>\
<li>helps researchers, UK universities and industry to have confidence in international \
collaboration and make informed decisions around those potential risks</li>\
<li>explains how to protect research and staff from potential theft, misuse or exploitation</li>\
</ul>\
<p>For me, <b>[explain how Trusted Research/identifying and understanding research security \
risks has been critical to your success – how it has presented you with opportunities and \
steered you away from scenarios in which you or your research could have been exploited]</b>. \
Trusted Research does more than protect us as individuals, it protects the UK's academic freedom \
by ensuring safety in international partnerships.</p>\
<p>Our research office <b>[or insert equivalent function]</b> provide <b>[insert offering here \
e.g. tailored advice, 1-to-1 support, training, a due diligence service, briefings etc.]</b> to \
help academics here at <b>[insert institution here]</b> to effectively identify and mitigate \
against research security risks. Whether you're at the start of your career or a seasoned and \
well-published academic, I would urge you to explore the Trusted Research advice and guidance, \
and engage with our research office <b>[or insert equivalent function]</b>. There's so much at \
stake which might not seem obvious even to researchers who are long into their careers. In my \
experience, you can never be too proactive about protecting your research.</p>"""

_BLOG_2_TEXT = """\
<p>As the <b>[insert role here]</b> at our institution’s research office <b>[or insert \
equivalent function]</b>, I’m often asked, “What do you mean by ‘do your due diligence when \
collaborating internationally?’” This is a good question, especially because those two words \
hold a lot of meaning which can sometimes change depending on the collaboration.</p>\
<p>Essentially, due diligence for international collaboration is a process we undertake to \
ensure that we have identified all the potential risk factors, as well as the contractual and \
legal obligations which must be considered before moving forward. In connection with these \
considerations, due diligence is also undertaken on international collaborations to protect the \
UK’s national security.</p>\
<p>The due diligence process is carried out to help with the identification and implementation \
of appropriate mitigations or, in some instances, to make an informed decision to halt the \
collaboration. Your research is something you care deeply about, so it’s important you can \
identify those risks and act accordingly.</p>\
<p>I’ve explained what due diligence is, but what about how to do it properly?</p>\
<p>At <b>[insert the institution here]</b>, we have a set process for conducting due diligence \
for which my team [or insert appropriate team] can give you guidance and support. <b>[Insert \
information about your institution’s due diligence process – what is it, how does it work, who \
is responsible for the process and how can people find out more? If you have flow diagrams you \
may want to insert those for a visual aid].</b></p>\
<p>The due diligence process is often a joint endeavour between the research office <b>[or \
insert equivalent function]</b> and the researcher. As researchers you have a responsibility to \
know your research and to know your research partners. Your insight into these areas is \
incredibly important to informing the due diligence process, and there are some foundational \
questions you can consider.</p>\
<h2>1. The partner (or funder)</h2>\
<ul><li>Who are they?</li>\
<li>What institutions are they associated with? Do they have any government or military \
associations?</li>\
<li>What is the risk profile of their geographic location?</li>\
<li>Does working with them pose any reputational risk?</li></ul>\
<h2>2. The research</h2>\
<ul><li>Is it sensitive or dual-use?</li>\
<li>Where will it be stored? Who will be able to access it?</li>\
<li>Do you have any existing IP protections? Do you need to put any in place? Will they be \
upheld in overseas jurisdictions?</li></ul>\
<h2>3. Legal obligations</h2>\
<ul><li>Is your research subject to export control?</li>\
<li>Does the collaboration require you to engage with Academic Technology Approval Scheme (ATAS) \
or the National Security and Investment Act (NSI Act)?</li>\
<li>Are there any considerations under the Data Protection Act?</li></ul>\
<h2>4. Contractual obligations</h2>\
<ul><li>Are there any conflicts of interest/ commitments with your institution or existing \
partners/funders?</li>\
<li>Do you have a contractual obligation to communicate new undertakings to existing \
partners?</li>\
<li>Does this collaboration overlap with any existing partnerships and require \
segregation?</li></ul>\
<p>The questions above aren't exhaustive, but hopefully they give you a sense of what must be \
considered before an international collaboration gets the go-ahead. In many cases, determining \
the suitability of the partner can be the most complex part, but thankfully there's a range of \
resources we can use to inform that question, such as:</p>\
<ul>\
<li><a href="https://www.bis.doc.gov/index.php/documents/regulations-docs/2326-supplement-no-4-\
to-part-744-entity-list-4/file">US export entity control list</a></li>\
<li><a href="https://www.un.org/securitycouncil/sanctions/information">UN sanctions list</a></li>\
<li><a href="https://www.transparency.org/en/cpi/2021">Country corruption index</a></li>\
<li><a href="https://www.gov.uk/government/publications/uk-trade-tariff-export-prohibitions-and-\
restrictions">Trade restrictions on export</a></li>\
<li><a href="https://www.cato.org/human-freedom-index/2023">The Human Freedom Index</a></li>\
<li><a href="https://worldjusticeproject.org/rule-of-law-index">The World Justice Project Rule \
of Law Index</a></li>\
<li>Online news articles</li>\
</ul>"""

TEMPLATES = [
    {
        "pack_key": "blog-1",
        "title": "We must protect our research",
        "slug": "we-must-protect-our-research",
        "recommended_poster": (
            "This blog would ideally be posted by an individual currently involved in publishing "
            "academic research or who did so as part of their career."
        ),
        "notes": USEFUL_LINKS_NOTE,
        "attribution": PACK_ATTRIBUTION,
        "body": [
            {"type": "rich_text", "value": _BLOG_1_TEXT},
            {
                "type": "link_list",
                "value": {
                    "heading": "Useful links and resources",
                    "text": "[Insert how to get in touch with your research office or "
                    "equivalent department]",
                    "links": [
                        {
                            "title": "www.npsa.gov.uk/trusted-research-academia",
                            "url": "https://www.npsa.gov.uk/trusted-research-academia",
                            "description": "",
                        }
                    ],
                },
            },
        ],
    },
    {
        "pack_key": "blog-2",
        "title": "We’ve all heard of due diligence, but what is it really?",
        "slug": "weve-all-heard-of-due-diligence",
        "recommended_poster": (
            "This blog would ideally be posted by an individual from your institution’s research "
            "office (or equivalent function) who is familiar with the institution’s due diligence "
            "process."
        ),
        "notes": USEFUL_LINKS_NOTE
        + "<p>The due diligence questions and the resources for checking a partner are the "
        "pack’s; its footnoted resource addresses are the links in the list.</p>",
        "attribution": PACK_ATTRIBUTION,
        "body": [
            {"type": "rich_text", "value": _BLOG_2_TEXT},
            {
                "type": "link_list",
                "value": {
                    "heading": "Useful links and resources",
                    "text": "",
                    "links": [
                        {
                            "title": "NPSA collaboration checklist",
                            "url": "https://www.npsa.gov.uk/system/files/"
                            "npsa_tr_checklist_final_web.pdf",
                            "description": "",
                        }
                    ],
                },
            },
        ],
    },
]
