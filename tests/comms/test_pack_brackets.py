"""Every ``[…]`` in both seed documents, read by the one placeholder engine.

The table below is the expectation for each bracket the NPSA comms pack (seed 000) and the
campaign implementation plan (seed 003) contain. The seeds are read from ``../shared/seeds``
beside the repository (CI clones it with ``../shared`` beside it; a worktree finds it further
up). A bracket added to a seed without an expectation here fails the test, as does an
expectation whose bracket left the seeds.
"""

import html
import re
from pathlib import Path

import pytest

from comms.placeholders import Kind, scan_html

SEED_FILES = ("000_cf114bbf9e45ee17.txt", "003_41e89ee283a65eb5.txt")
REPO = Path(__file__).resolve().parents[2]


def seeds_dir() -> Path:
    for parent in (REPO, *REPO.parents):
        candidate = parent / "shared" / "seeds"
        if all((candidate / name).is_file() for name in SEED_FILES):
            return candidate
    pytest.fail(f"The seed documents {SEED_FILES} are not in ../shared/seeds beside {REPO}")


def fill(prompt, suggestions=()):
    return (Kind.FILL, prompt, (), "", "", tuple(suggestions))


def choice(prompt, choices, continuation=""):
    return (Kind.CHOICE, prompt, tuple(choices), continuation, "", ())


def or_default(prompt, default):
    return (Kind.OR, prompt, (), "", default, ())


def suggestion(prompt, suggestions=()):
    return (Kind.SUGGESTION, prompt, (), "", "", tuple(suggestions))


NOT_A_PLACEHOLDER = None

LINKEDIN = (
    "the research department/our Director of Research/the organisation highlight the adverts on "
    "LinkedIn"
)
EXPLAIN = (
    "explain how Trusted Research/identifying and understanding research security risks has been "
    "critical to your success – how it has presented you with opportunities and steered you away "
    "from scenarios in which you or your research could have been exploited"
)
OUTLINE = (
    "outline an international collaboration you undertook which was pivotal in your "
    "understanding of the relevance of research security risk to your area of study/ in which "
    "you came to know Trusted Research"
)
DUE_DILIGENCE = (
    "Insert information about your institution’s due diligence process – what is it, how does "
    "it work, who is responsible for the process and how can people find out more? If you have "
    "flow diagrams you may want to insert those for a visual aid"
)
DESCRIBE = (
    "describe your research questions here e.g. seemingly unanswerable/stretching/ground-breaking"
)
KNEW = (
    "insert what you knew about research security risk – this is likely to be a foundational "
    "level of understanding"
)

# Bracket text (whitespace collapsed, markdown bold removed) -> what the engine reads.
EXPECTED = {
    # Seed 000, "Blog outlines": the pack naming its marker (‘[insert]’ sections), not a field.
    "insert": NOT_A_PLACEHOLDER,
    "insert research area here": fill("insert research area here"),
    DESCRIBE: fill(DESCRIBE, ["seemingly unanswerable", "stretching", "ground-breaking"]),
    KNEW: fill(KNEW),
    OUTLINE: fill(OUTLINE),
    "insert your research area here": fill("insert your research area here"),
    "insert examples here e.g., emerging technology, dual-use technology, commercially sensitive "
    "research areas": fill(
        "insert examples here e.g., emerging technology, dual-use technology, commercially "
        "sensitive research areas",
        ["emerging technology", "dual-use technology", "commercially sensitive research areas"],
    ),
    EXPLAIN: fill(EXPLAIN),
    "or insert equivalent function": or_default("or insert equivalent function", "research office"),
    "insert offering here e.g. tailored advice, 1-to-1 support, training, a due diligence "
    "service, briefings etc.": fill(
        "insert offering here e.g. tailored advice, 1-to-1 support, training, a due diligence "
        "service, briefings etc.",
        ["tailored advice", "1-to-1 support", "training", "a due diligence service", "briefings"],
    ),
    "insert institution here": fill("insert institution here"),
    "Insert how to get in touch with your research office or equivalent department": fill(
        "Insert how to get in touch with your research office or equivalent department"
    ),
    "insert role here": fill("insert role here"),
    "insert the institution here": fill("insert the institution here"),
    "or insert appropriate team": or_default("or insert appropriate team", "team"),
    DUE_DILIGENCE: fill(DUE_DILIGENCE),
    # Seed 000, the "Pride and Joy" campaign text.
    "insert organisation name": fill("insert organisation name"),
    LINKEDIN: choice(
        LINKEDIN,
        ["the research department", "our Director of Research", "the organisation"],
        continuation="highlight the adverts on LinkedIn",
    ),
    "the digital displays around campus": suggestion("the digital displays around campus"),
    "insert date": fill("insert date"),
    "insert link": fill("insert link"),
    "insert organisational PoC name and role/job title": fill(
        "insert organisational PoC name and role/job title"
    ),
    # Seed 003: markdown links, whose text is in brackets; the loader makes them links.
    "Embedding Security Behaviours: using the 5Es": NOT_A_PLACEHOLDER,
    "NCSC.gov.uk": NOT_A_PLACEHOLDER,
}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def seed_as_html(text: str) -> str:
    """The seed as rich text: one paragraph per blank-line-separated block, bold markers
    dropped, text escaped. Markdown links stay as written: the engine must see them too."""
    blocks = re.split(r"\n\s*\n", text.replace("**", ""))
    return "".join(f"<p>{html.escape(block.strip(), quote=False)}</p>" for block in blocks)


def seed_brackets(text: str) -> list[str]:
    return [_clean(inner) for inner in re.findall(r"\[([^\[\]]*)\]", text)]


def read(placeholder):
    suggestions = getattr(placeholder, "suggestions", ())
    continuation = getattr(placeholder, "continuation", "")
    return (
        placeholder.kind,
        placeholder.prompt,
        tuple(placeholder.choices),
        continuation,
        placeholder.default,
        tuple(suggestions),
    )


@pytest.fixture(scope="module")
def seeds():
    folder = seeds_dir()
    return {name: (folder / name).read_text(encoding="utf-8") for name in SEED_FILES}


def test_every_bracket_in_the_seeds_has_an_expectation(seeds):
    found = {bracket for text in seeds.values() for bracket in seed_brackets(text)}
    assert found - EXPECTED.keys() == set(), "new brackets in a seed: add their expectation"
    assert EXPECTED.keys() - found == set(), "expectations for brackets no seed has any more"


@pytest.mark.parametrize("name", SEED_FILES)
def test_each_bracket_reads_as_expected(seeds, name):
    text = seeds[name]
    scan = scan_html(seed_as_html(text))
    assert scan.problems == []
    read_by_prompt: dict[str, list] = {}
    for occurrence in scan.occurrences:
        if occurrence.placeholder.kind is Kind.OPTIONAL:
            continue
        read_by_prompt.setdefault(_clean(occurrence.placeholder.prompt), []).append(
            read(occurrence.placeholder)
        )
    brackets = seed_brackets(text)
    for bracket in brackets:
        expected = EXPECTED[bracket]
        got = read_by_prompt.get(bracket, [])
        if expected is NOT_A_PLACEHOLDER:
            assert got == [], f"[{bracket}] is not a placeholder"
        else:
            assert got and all(item == expected for item in got), f"[{bracket}]"
    # Nothing else was taken for a placeholder.
    assert set(read_by_prompt) <= set(brackets)
    assert sum(map(len, read_by_prompt.values())) == sum(
        1 for bracket in brackets if EXPECTED[bracket] is not NOT_A_PLACEHOLDER
    )


def test_the_optional_paragraph_is_one_keep_or_drop_choice(seeds):
    scan = scan_html(seed_as_html(seeds[SEED_FILES[0]]))
    optional = [o.placeholder for o in scan.occurrences if o.placeholder.kind is Kind.OPTIONAL]
    assert len(optional) == 1
    assert optional[0].prompt.startswith("We are developing new training and awareness sessions")
