"""Find and fill the pack's ``[insert …]`` placeholders in rich text HTML.

How a bracket is read (first rule that matches wins):

1. Not a placeholder: a bracket without a letter (``[1]``); a bare prompt verb in quotation
   marks (``‘[insert]’``: the pack talking about its marker; a quoted bracket with more in it,
   ``“[insert a quote here]”``, is still a placeholder); a bracket followed at once by ``(``
   (``[NCSC.gov.uk](https://…)``: a link as markdown writes it).
2. ``[or insert equivalent function]`` (starts with "or "): an **"or" alternative**. The noun phrase
   just before it (``research office``, ``team``: the words back to a determiner, possessive or
   punctuation, at most four) is the default wording, kept unless the editor replaces it.
3. Starts with a prompt verb (insert, describe, outline, explain): a **prompt** to fill, even when
   it contains "/" (``[describe … e.g. seemingly unanswerable/stretching/ground-breaking]``). The
   examples after "e.g." (split on "/", else on ",", "etc." dropped) are offered as suggestions.
4. Contains "/" that separates whole alternatives: **alternatives** to pick one from. The slashes
   separate whole alternatives when every part is one word (``[Dr/Prof]``) or every part starts
   with a determiner or possessive (``[the research department/our Director of Research/…]``).
   When the last part is longer than every other and, after its opening noun phrase, has a word
   that is followed by a determiner (a verb and its object: ``the organisation highlight the
   adverts on LinkedIn``), that word starts a **continuation** shared by every alternative:
   the choices are ``the research department``, ``our Director of Research``, ``the
   organisation``, and each is filled followed by ``highlight the adverts on LinkedIn``.
5. Contains "/" inside a phrase (``[your research/innovation office]``, ``[area/ in which]``): one
   **suggested wording** (as rule 6), with its readings offered as suggestions: each word of a
   ``word/word`` pair in its place (``your research office``, ``your innovation office``), else
   the parts as written.
6. Anything else with a letter in it (``[the digital displays around campus]``): a **suggested
   wording** the editor confirms or rewrites.

A paragraph starting "Insert if appropriate:" is an **optional paragraph**, kept (marker
removed) or dropped whole. A placeholder may span one paragraph break and any inline markup (the
pack's Blog 1 has one that does); a ``[`` with no ``]`` before a second ``[`` or before the next
paragraph break but one is reported as a problem, with its position, and never raises.

Values are escaped and inserted as text, never as markup; a bold wrapper around a filled
placeholder is removed, so the post does not keep the template's highlighting. A placeholder's
``key`` (and so its form field name) depends only on its kind and prompt text, so reading rules
may change without breaking an editor's half-filled form.
"""

import hashlib
import html
import re
from dataclasses import dataclass, field
from enum import StrEnum

PROMPT_VERBS = ("insert", "describe", "outline", "explain")
OPTIONAL_MARKER = re.compile(r"insert if appropriate:\s*", re.IGNORECASE)
# Words dropped when comparing prompts, so "[insert research area here]" and "[insert your
# research area here]" are one field.
FILLER_WORDS = frozenset({"the", "your", "here", "a", "an"})
# Where the default wording of an "or" alternative starts: after one of these words.
OR_STOP_WORDS = frozenset(
    [
        "the",
        "our",
        "my",
        "your",
        "their",
        "a",
        "an",
        "this",
        "that",
        "its",
        "at",
        "with",
        "to",
        "of",
        "and",
        "or",
        "in",
        "for",
        "by",
        "from",
    ]
)
# Words that open a noun phrase: alternatives that all start with one are whole alternatives, and
# a word followed by one is a verb taking an object (where a shared continuation starts).
DETERMINERS = frozenset(
    {"the", "our", "my", "your", "their", "a", "an", "this", "that", "these", "those", "its"}
)
OPENING_QUOTES = "‘“'\""
CLOSING_QUOTES = "’”'\""
BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"})
MAX_PARAGRAPH_BREAKS = 1

_TAG_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


class Kind(StrEnum):
    FILL = "fill"
    CHOICE = "choice"
    OR = "or"
    SUGGESTION = "suggestion"
    OPTIONAL = "optional"


@dataclass(frozen=True)
class Placeholder:
    """One distinct field: its ``key`` is shared by every occurrence of the same prompt."""

    key: str
    kind: Kind
    prompt: str
    choices: tuple[str, ...] = ()
    default: str = ""
    continuation: str = ""  # words every choice is followed by (rule 4)
    suggestions: tuple[str, ...] = ()  # wordings offered in the fill form (rules 3 and 5)

    def filled_choice(self, value: str) -> str | None:
        """The text a picked alternative fills in (with the shared continuation), or None when
        ``value`` is not one of the alternatives. A value already ending in the continuation
        (what the form offered before the continuation was split off) is taken as it is."""
        for choice in self.choices:
            with_continuation = f"{choice} {self.continuation}".strip()
            if value in (choice, with_continuation):
                return with_continuation
        return None

    @property
    def field_name(self) -> str:
        """A stable form field name for this placeholder."""
        return "ph_" + hashlib.sha1(self.key.encode(), usedforsecurity=False).hexdigest()[:10]

    @property
    def written(self) -> str:
        """The placeholder as it reads in the text."""
        if self.kind is Kind.OPTIONAL:
            return "Insert if appropriate: " + _shorten(self.prompt, 60)
        return f"[{self.prompt}]"


@dataclass(frozen=True)
class Occurrence:
    placeholder: Placeholder
    start: int
    end: int
    paragraph: int
    context: str
    default_start: int | None = None
    default_end: int | None = None
    location: str = ""

    def describe(self) -> str:
        """One line for an editor: the placeholder and where it is."""
        where = f"{self.location}, " if self.location else ""
        return f"{_shorten(self.placeholder.written, 90)} — {where}paragraph {self.paragraph}"


@dataclass(frozen=True)
class Problem:
    """Something the engine could not read, such as an unclosed ``[``; ``position`` counts
    characters from the start of its paragraph."""

    message: str
    position: int
    paragraph: int
    context: str
    location: str = ""

    def describe(self) -> str:
        where = f"{self.location}, " if self.location else ""
        return (
            f"{self.message} — {where}paragraph {self.paragraph}, character {self.position + 1}:"
            f" “{self.context}”"
        )


@dataclass
class Scan:
    occurrences: list[Occurrence] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: "Scan") -> None:
        self.occurrences.extend(other.occurrences)
        self.problems.extend(other.problems)

    @property
    def placeholders(self) -> list[Placeholder]:
        """Distinct placeholders in order of first appearance."""
        seen: dict[str, Placeholder] = {}
        for occurrence in self.occurrences:
            seen.setdefault(occurrence.placeholder.key, occurrence.placeholder)
        return list(seen.values())

    def __bool__(self) -> bool:
        return bool(self.occurrences or self.problems)


@dataclass
class _Token:
    value: str
    is_tag: bool
    visible: str  # what the token adds to the visible text ("\n" for a closing block tag)
    pos: int = 0


def normalise(prompt: str) -> str:
    text = html.unescape(prompt).lower().replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip(" .,:;")
    return " ".join(word for word in text.split(" ") if word not in FILLER_WORDS)


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _tag_info(tag: str) -> tuple[bool, str]:
    match = _TAG_NAME_RE.match(tag)
    if not match:
        return False, ""
    return bool(match.group(1)), match.group(2).lower()


def _tokenise(source: str) -> tuple[list[_Token], str]:
    tokens = []
    pos = 0
    for part in _TAG_RE.split(source):
        if not part:
            continue
        if part.startswith("<") and part.endswith(">"):
            closing, name = _tag_info(part)
            visible = "\n" if (closing and name in BLOCK_TAGS) or name == "br" else ""
            token = _Token(part, True, visible, pos)
        else:
            token = _Token(part, False, part, pos)
        tokens.append(token)
        pos += len(token.visible)
    return tokens, "".join(token.visible for token in tokens)


def _context(text: str, start: int, end: int, around: int = 30) -> str:
    before = text[max(0, start - around) : start]
    after = text[end : end + around]
    snippet = ("…" if start > around else "") + before + text[start:end] + after
    snippet += "…" if end + around < len(text) else ""
    return re.sub(r"\s+", " ", html.unescape(snippet)).strip()


def _or_default(text: str, bracket_start: int) -> tuple[str, int, int]:
    """The noun phrase before an "or" alternative, and where it starts and ends in ``text``."""
    line_start = text.rfind("\n", 0, bracket_start) + 1
    words = list(re.finditer(r"[^\s\[\]]+", text[line_start:bracket_start]))
    taken: list[re.Match] = []
    for word in reversed(words):
        token = html.unescape(word.group())
        bare = token.lower()
        if (
            bare in OR_STOP_WORDS
            or bare.endswith(("'s", "’s"))
            or not re.fullmatch(r"[\w-]+", token)
            or len(taken) == 4
        ):
            break
        taken.insert(0, word)
    if not taken:
        return "", bracket_start, bracket_start
    start = line_start + taken[0].start()
    end = line_start + taken[-1].end()
    return html.unescape(text[start:end]), start, end


def _examples(prompt: str) -> tuple[str, ...]:
    """The examples a prompt gives after "e.g." (rule 3)."""
    match = re.search(r"\be\.g\.,?\s*(.+)$", prompt, re.IGNORECASE)
    if not match:
        return ()
    body = re.sub(r"\s*\betc\.?$", "", match.group(1).strip()).strip(" .;")
    separator = "/" if "/" in body and "," not in body else ","
    return tuple(item.strip() for item in body.split(separator) if item.strip())


def _alternatives(prompt: str) -> tuple[tuple[str, ...], str] | None:
    """The choices and shared continuation when the slashes separate whole alternatives
    (rule 4), else None."""
    parts = [part.strip() for part in prompt.split("/")]
    if any(not part for part in parts):
        return None
    words = [part.split() for part in parts]
    if all(len(part) == 1 for part in words):
        return tuple(parts), ""
    if not all(part[0].lower() in DETERMINERS for part in words):
        return None
    *others, last = words
    longest = max(len(part) for part in others)
    if len(last) > longest:
        for index in range(2, min(len(last) - 1, longest + 1)):
            word, following = last[index], last[index + 1]
            if (
                word.isalpha()
                and word.islower()
                and word not in OR_STOP_WORDS
                and following.lower() in DETERMINERS
            ):
                head = " ".join(last[:index])
                return (*parts[:-1], head), " ".join(last[index:])
    return tuple(parts), ""


def _readings(prompt: str) -> tuple[str, ...]:
    """Suggestions for a bracket whose slashes sit inside a phrase (rule 5)."""
    words = prompt.split(" ")
    slashed = [index for index, word in enumerate(words) if "/" in word]
    if len(slashed) == 1 and all(words[slashed[0]].split("/")):
        index = slashed[0]
        return tuple(
            " ".join([*words[:index], option, *words[index + 1 :]])
            for option in words[index].split("/")
        )
    return tuple(part.strip() for part in prompt.split("/") if part.strip())


def _classify(prompt: str, text: str, start: int) -> tuple[Placeholder, tuple | None]:
    low = prompt.lower()
    first_word = re.split(r"[\s,:]+", low, maxsplit=1)[0]
    if first_word == "or" and " " in low:
        default, default_start, default_end = _or_default(text, start)
        key = "or:" + normalise(prompt)
        return Placeholder(key, Kind.OR, prompt, default=default), (default_start, default_end)
    if first_word in PROMPT_VERBS:
        return Placeholder(
            normalise(prompt), Kind.FILL, prompt, suggestions=_examples(prompt)
        ), None
    if "/" in prompt:
        alternatives = _alternatives(prompt)
        if alternatives is not None:
            choices, continuation = alternatives
            key = "choice:" + normalise(prompt)
            return Placeholder(key, Kind.CHOICE, prompt, choices, continuation=continuation), None
        key = "suggestion:" + normalise(prompt)
        return Placeholder(key, Kind.SUGGESTION, prompt, suggestions=_readings(prompt)), None
    return Placeholder("suggestion:" + normalise(prompt), Kind.SUGGESTION, prompt), None


def _is_mention(prompt: str, text: str, start: int, end: int) -> bool:
    """The marker itself in quotation marks, or a markdown link's text (rule 1)."""
    before = text[start - 1] if start else ""
    after = text[end + 1] if end + 1 < len(text) else ""
    quoted = before and before in OPENING_QUOTES and after and after in CLOSING_QUOTES
    return bool(quoted and prompt.lower() in PROMPT_VERBS) or after == "("


def _paragraph(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def scan_html(source: str) -> Scan:
    """Every placeholder occurrence and every unreadable bracket in rich text HTML."""
    _, text = _tokenise(source or "")
    scan = Scan()
    for match in re.finditer(r"(?:^|\n)[ \t]*(insert if appropriate:)", text, re.IGNORECASE):
        start = match.start(1)
        line_end = text.find("\n", start)
        line_end = len(text) if line_end == -1 else line_end
        body = re.sub(r"\s+", " ", html.unescape(text[match.end(1) : line_end])).strip()
        key = "optional:" + normalise(" ".join(body.split(" ")[:10]))
        placeholder = Placeholder(key, Kind.OPTIONAL, body)
        scan.occurrences.append(
            Occurrence(
                placeholder,
                start,
                line_end,
                _paragraph(text, start),
                _context(text, start, start + 22),
            )
        )
    index = 0
    while True:
        start = text.find("[", index)
        if start == -1:
            break
        end = start + 1
        breaks = 0
        problem = None
        while True:
            if end >= len(text):
                problem = "Unclosed “[”: no “]” follows it"
                break
            char = text[end]
            if char == "]":
                break
            if char == "[":
                problem = "Unclosed “[”: another “[” opens before it closes"
                break
            if char == "\n":
                breaks += 1
                if breaks > MAX_PARAGRAPH_BREAKS:
                    problem = "Unclosed “[”: no “]” before the paragraph ends"
                    break
            end += 1
        if problem:
            column = start - (text.rfind("\n", 0, start) + 1)
            scan.problems.append(
                Problem(problem, column, _paragraph(text, start), _context(text, start, start + 1))
            )
            index = start + 1
            continue
        inner = html.unescape(text[start + 1 : end])
        prompt = re.sub(r"\s+", " ", inner).strip()
        index = end + 1
        if not re.search(r"[^\W\d_]", prompt) or _is_mention(prompt, text, start, end):
            continue
        placeholder, default_span = _classify(prompt, text, start)
        default_start, default_end = default_span or (None, None)
        scan.occurrences.append(
            Occurrence(
                placeholder,
                start,
                end + 1,
                _paragraph(text, start),
                _context(text, start, end + 1),
                default_start,
                default_end,
            )
        )
    scan.occurrences.sort(key=lambda occurrence: occurrence.start)
    return scan


def scan_text(text: str) -> Scan:
    """Placeholders in plain text (a heading, a caption)."""
    return scan_html(html.escape(text or "", quote=False))
