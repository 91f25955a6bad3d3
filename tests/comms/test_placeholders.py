"""The placeholder engine on the pack's own text: both blog templates and the campaign text."""

from blogs.models import BlogBodyBlock
from blogs.pack_data import TEMPLATES
from comms.models import PortalSettings
from comms.placeholders import Kind, fill_html, fill_stream, prefill_values, scan_html, scan_stream

# The "Pride and Joy" campaign introduction text, as in the pack (bold as <b>).
CAMPAIGN_TEXT = (
    "<p>Trusted Research is a joint NPSA and NCSC campaign which provides guidance for researchers "
    "and staff to help protect sensitive research from the risks inherent in international "
    "academic collaboration.</p>"
    "<p>Here at <b>[insert organisation name]</b> we take research security seriously and "
    "strongly support the Trusted Research agenda. You may have seen <b>[the research "
    "department/our Director of Research/the organisation highlight the adverts on LinkedIn]</b> "
    "and/or <b>[the digital displays around campus]</b> or perhaps come across the adverts on "
    "Research Gate. We encourage you to visit the NPSA website and check out the available "
    "guidance and share the campaign with your colleagues.</p>"
    "<p>Insert if appropriate: We are developing new training and awareness sessions based on "
    "the new material from NPSA, using case studies and scenarios to help explain the potential "
    "risks and help you identify sensible and appropriate steps you can take to mitigate those "
    "risks. Please keep an eye out for those sessions, which will be running in [insert "
    "date].</p>"
    "<p>You can find all the latest material, which includes simple step-by-step checklists, "
    "accessible and relevant guidance, and training resources on the NPSA website, and the "
    "<b>[insert organisation name]</b> guidance is available <b>[insert link]</b>. For more "
    "information, contact <b>[insert organisational PoC name and role/job title]</b>.</p>"
)

# Blog 1's placeholder as the pack prints it: bold, and broken across two paragraphs.
SPANNING = (
    "<p>For me, <b>[explain how Trusted Research/identifying and understanding research "
    "security</b></p><p>risks has been critical to your success – how it has presented you with "
    "opportunities and steered you away from scenarios in which you or your research could have "
    "been exploited]. Trusted Research does more than protect us as individuals.</p>"
)


def template_scan(number):
    body = TEMPLATES[number - 1]["body"]
    return scan_stream(BlogBodyBlock(), body, "Body")


def test_blog_1_has_12_placeholders_10_distinct():
    scan = template_scan(1)
    assert not scan.problems
    assert len(scan.occurrences) == 12
    assert len(scan.placeholders) == 10
    kinds = [p.kind for p in scan.placeholders]
    assert kinds.count(Kind.OR) == 1
    assert kinds.count(Kind.FILL) == 9
    # "[insert research area here]" and "[insert your research area here]" are one field.
    research_area = [o for o in scan.occurrences if "research area here" in o.placeholder.prompt]
    assert len(research_area) == 2
    assert research_area[0].placeholder.key == research_area[1].placeholder.key
    # The "useful links" text is found inside the link list block.
    last = scan.occurrences[-1]
    assert last.placeholder.prompt.startswith("Insert how to get in touch")
    assert last.location == "Body, block 2 (Link list) › Text"


def test_blog_2_has_6_placeholders_5_distinct():
    scan = template_scan(2)
    assert not scan.problems
    assert len(scan.occurrences) == 6
    assert len(scan.placeholders) == 5
    defaults = {p.prompt: p.default for p in scan.placeholders if p.kind is Kind.OR}
    assert defaults == {
        "or insert equivalent function": "research office",
        "or insert appropriate team": "team",
    }


def test_campaign_text_has_8_placeholders_7_distinct():
    scan = scan_html(CAMPAIGN_TEXT)
    assert not scan.problems
    assert len(scan.occurrences) == 8
    assert len(scan.placeholders) == 7
    by_kind = {p.kind: p for p in scan.placeholders}
    assert by_kind[Kind.CHOICE].choices == (
        "the research department",
        "our Director of Research",
        "the organisation",
    )
    assert by_kind[Kind.SUGGESTION].prompt == "the digital displays around campus"
    assert by_kind[Kind.OPTIONAL].prompt.startswith("We are developing new training")


def test_prompt_with_slashes_is_a_prompt_not_alternatives():
    scan = template_scan(1)
    describe = scan.placeholders[1]
    assert describe.prompt.startswith("describe your research questions")
    assert describe.kind is Kind.FILL


def test_placeholder_spanning_a_line_break_and_bold_boundary_is_one_field():
    scan = scan_html(SPANNING)
    assert not scan.problems
    assert len(scan.occurrences) == 1
    placeholder = scan.placeholders[0]
    assert placeholder.prompt.startswith("explain how Trusted Research/identifying")
    assert placeholder.prompt.endswith("could have been exploited")
    filled = fill_html(SPANNING, {placeholder.key: "It kept my lab's work safe"})
    assert filled == (
        "<p>For me, It kept my lab's work safe. Trusted Research does more than protect us as "
        "individuals.</p>"
    )


def test_choice_fills_with_the_picked_alternative_and_ignores_others():
    scan = scan_html(CAMPAIGN_TEXT)
    choice = next(p for p in scan.placeholders if p.kind is Kind.CHOICE)
    picked = fill_html(CAMPAIGN_TEXT, {choice.key: "our Director of Research"})
    assert (
        "You may have seen our Director of Research highlight the adverts on LinkedIn and/or"
        in picked
    )
    not_offered = fill_html(CAMPAIGN_TEXT, {choice.key: "someone else"})
    assert "[the research department/our Director" in not_offered


def test_alternatives_share_the_continuation_the_grammar_gives_them():
    scan = scan_html(CAMPAIGN_TEXT)
    choice = next(p for p in scan.placeholders if p.kind is Kind.CHOICE)
    assert choice.choices == (
        "the research department",
        "our Director of Research",
        "the organisation",
    )
    assert choice.continuation == "highlight the adverts on LinkedIn"
    for picked, reads in [
        ("the research department", "the research department highlight the adverts on LinkedIn"),
        ("the organisation", "the organisation highlight the adverts on LinkedIn"),
        # The value the form offered before the split still fills the same sentence.
        (
            "the organisation highlight the adverts on LinkedIn",
            "the organisation highlight the adverts on LinkedIn",
        ),
    ]:
        filled = fill_html(CAMPAIGN_TEXT, {choice.key: picked})
        assert f"You may have seen {reads} and/or <b>[the digital displays" in filled


def test_alternatives_without_a_continuation_stay_whole():
    html = "<p>Ask <b>[the research department/our Director of Research/the dean]</b>.</p>"
    choice = scan_html(html).placeholders[0]
    assert choice.choices == ("the research department", "our Director of Research", "the dean")
    assert choice.continuation == ""
    assert fill_html(html, {choice.key: "the dean"}) == "<p>Ask the dean.</p>"


def test_only_the_quoted_marker_itself_is_a_mention_a_quoted_prompt_is_still_a_placeholder():
    html = (
        "<p>Drafted with ‘<b>[insert]</b>’ sections. He said “<b>[insert a quote here]</b>”. See "
        "[NCSC.gov.uk](https://www.ncsc.gov.uk).</p>"
    )
    prompts = [p.prompt for p in scan_html(html).placeholders]
    assert prompts == ["insert a quote here"]


def test_slashes_inside_a_phrase_make_one_prompt_with_the_readings_as_suggestions():
    html = "<p>Talk to <b>[your research/innovation office]</b> today.</p>"
    placeholder = scan_html(html).placeholders[0]
    assert placeholder.kind is Kind.SUGGESTION
    assert placeholder.suggestions == ("your research office", "your innovation office")
    assert fill_html(html, {placeholder.key: "your innovation office"}) == (
        "<p>Talk to your innovation office today.</p>"
    )


def test_fill_form_offers_the_alternatives_and_suggestions_as_written():
    from comms.placeholders.forms import placeholder_field

    scan = scan_html(CAMPAIGN_TEXT)
    choice = next(p for p in scan.placeholders if p.kind is Kind.CHOICE)
    field = placeholder_field(choice)
    assert field.label == (
        "Pick one: [the research department/our Director of Research/the organisation] "
        "highlight the adverts on LinkedIn"
    )
    assert list(field.choices) == [
        ("the research department", "the research department highlight the adverts on LinkedIn"),
        ("our Director of Research", "our Director of Research highlight the adverts on LinkedIn"),
        ("the organisation", "the organisation highlight the adverts on LinkedIn"),
    ]
    describe = template_scan(1).placeholders[1]
    help_text = placeholder_field(describe).help_text
    assert "Suggestions from the pack: seemingly unanswerable; stretching; ground-breaking." in (
        help_text
    )


def test_or_alternative_keeps_the_default_unless_replaced():
    html = "<p>Our research office <b>[or insert equivalent function]</b> provide help.</p>"
    key = scan_html(html).placeholders[0].key
    assert fill_html(html, {key: ""}) == "<p>Our research office provide help.</p>"
    assert (
        fill_html(html, {key: "Research Services"}) == "<p>Our Research Services provide help.</p>"
    )
    assert fill_html(html, {}) == html


def test_optional_paragraph_is_kept_without_its_marker_or_dropped_whole():
    scan = scan_html(CAMPAIGN_TEXT)
    optional = next(p for p in scan.placeholders if p.kind is Kind.OPTIONAL)
    date = next(p for p in scan.placeholders if p.prompt == "insert date")
    kept = fill_html(CAMPAIGN_TEXT, {optional.key: True, date.key: "May 2025"})
    assert "<p>We are developing new training" in kept
    assert "running in May 2025.</p>" in kept
    assert "Insert if appropriate" not in kept
    dropped = fill_html(CAMPAIGN_TEXT, {optional.key: False})
    assert "We are developing" not in dropped
    assert "[insert date]" not in dropped
    assert len(scan_html(dropped).occurrences) == 6


def test_same_placeholder_twice_is_filled_everywhere():
    scan = scan_html(CAMPAIGN_TEXT)
    org = next(p for p in scan.placeholders if p.prompt == "insert organisation name")
    filled = fill_html(CAMPAIGN_TEXT, {org.key: "University of Exampleshire"})
    assert filled.count("University of Exampleshire") == 2
    assert "insert organisation name" not in filled


def test_values_are_inserted_as_escaped_text_never_markup():
    html = "<p>At <b>[insert institution here]</b> we care.</p>"
    key = scan_html(html).placeholders[0].key
    filled = fill_html(html, {key: '<script>alert("x")</script> & <b>Co</b>'})
    assert "<script>" not in filled
    assert "&lt;script&gt;" in filled
    assert "&amp; &lt;b&gt;Co&lt;/b&gt;" in filled


def test_unclosed_bracket_is_reported_with_its_position_and_nothing_breaks():
    html = "<p>Hello [insert name here and more.</p><p>Then [insert date] ok.</p><p>End</p>"
    scan = scan_html(html)
    assert [o.placeholder.prompt for o in scan.occurrences] == ["insert date"]
    assert len(scan.problems) == 1
    problem = scan.problems[0]
    assert problem.paragraph == 1 and problem.position == 6
    assert "Unclosed" in problem.describe() and "character 7" in problem.describe()
    key = scan.occurrences[0].placeholder.key
    assert "Then 1 May ok." in fill_html(html, {key: "1 May"})


def test_brackets_without_letters_are_not_placeholders():
    assert not scan_html("<p>As shown [1] and [2].</p>")


def test_institution_wide_placeholders_are_prefilled_from_portal_settings():
    settings = PortalSettings(
        institution_name="University of Exampleshire",
        research_office_name="Research Services",
        contact_name="Sam Jones",
        contact_role="Research Security Lead",
        contact_email="sam@example.ac.uk",
        guidance_url="https://example.ac.uk/trusted-research",
    )
    campaign = prefill_values(scan_html(CAMPAIGN_TEXT).placeholders, settings)
    assert sorted(campaign.values()) == [
        "Sam Jones, Research Security Lead (sam@example.ac.uk)",
        "University of Exampleshire",
        "https://example.ac.uk/trusted-research",
    ]
    blog_1 = template_scan(1).placeholders
    values = prefill_values(blog_1, settings)
    by_prompt = {p.prompt: values.get(p.key) for p in blog_1}
    assert by_prompt["insert institution here"] == "University of Exampleshire"
    assert by_prompt["or insert equivalent function"] == "Research Services"
    assert by_prompt[
        "Insert how to get in touch with your research office or equivalent department"
    ] == ("Contact Sam Jones, Research Security Lead (sam@example.ac.uk).")
    body = fill_stream(BlogBodyBlock(), TEMPLATES[0]["body"], values)
    assert "here at University of Exampleshire to effectively" in body[0]["value"]
    assert "engage with our Research Services." in body[0]["value"]
