"""Mail standards every message the portal sends must meet, checked on the raw bytes.

``mail_standards_problems(raw)`` lists what is wrong, ``assert_mail_standards(raw)`` fails with
that list. Checked: RFC 5322 §2.1.1 (no line longer than 998 characters, headers included);
RFC 2045 §6.7 (quoted-printable lines at most 76 characters, "=" only before two hex digits
or as a soft line break); Python's parser finds no defects; ``Date`` carries a real offset
(RFC 5322 §3.3: "-0000" says the local time is unknown).
"""

import re
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

RFC5322_LINE_LIMIT = 998
RFC2045_QP_LINE_LIMIT = 76
_QP_BAD_ESCAPE = re.compile(r"=(?![0-9A-F]{2})(?!$)")


def mail_standards_problems(raw: bytes) -> list[str]:
    problems = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if len(line) > RFC5322_LINE_LIMIT:
            problems.append(f"line {number}: {len(line)} characters (RFC 5322 limit 998)")
    message = BytesParser(policy=policy.compat32).parsebytes(raw)
    for index, part in enumerate(message.walk()):
        problems.extend(f"part {index}: parser defect {d!r}" for d in part.defects)
        if part.is_multipart():
            continue
        if (part["Content-Transfer-Encoding"] or "").lower() != "quoted-printable":
            continue
        for number, line in enumerate(part.get_payload().splitlines(), start=1):
            if len(line) > RFC2045_QP_LINE_LIMIT:
                problems.append(
                    f"part {index} ({part.get_content_type()}), quoted-printable line {number}: "
                    f"{len(line)} characters (RFC 2045 limit 76): {line[:40]}…"
                )
            if _QP_BAD_ESCAPE.search(line):
                problems.append(f"part {index}, quoted-printable line {number}: a bare '='")
    date = message["Date"]
    if date is None:
        problems.append("no Date header")
    elif parsedate_to_datetime(date).tzinfo is None:
        problems.append(f"Date {date!r} has no real UTC offset (-0000 means unknown)")
    return problems


def assert_mail_standards(raw: bytes) -> None:
    problems = mail_standards_problems(raw)
    assert not problems, "\n".join(problems)
