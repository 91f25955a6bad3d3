"""The comms-pack loader's framework: each content app contributes a loader.

``settings.COMMS_PACK_LOADERS`` lists dotted paths of callables
``load(*, reset: bool) -> PackReport``. ``manage.py load_comms_pack`` runs them in order. A
loader is idempotent: it finds its rows by natural key, creates what is missing, keeps what an
editor has changed since it was loaded, and with ``reset`` restores the pack's text.

``pack_sync`` is the one rule for an existing row, used by every loader: each loaded row
stores ``pack_hash(values)`` of the pack text it shipped (its ``pack_hash`` field); on a rerun
a row whose current text no longer matches that hash was edited in the portal and is kept as
the editor left it (and reported), unless ``reset`` restores the pack's text.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class PackReport:
    """What one loader did, by item: a label such as "statistic 7"."""

    name: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Rows kept because an editor changed them since loading (also in ``kept``).
    edited: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.name}: {len(self.created)} created, {len(self.updated)} restored, "
            f"{len(self.kept)} kept, {len(self.skipped)} skipped"
        )


def pack_hash(values: dict) -> str:
    """A stable fingerprint of some field values (dates and other non-JSON values by their
    text): what ``pack_sync`` compares to tell whether an editor has changed a row."""
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack_sync(
    obj,
    wanted: dict,
    *,
    label: str,
    reset: bool,
    report: PackReport,
    write: Callable[[], None],
    current: dict | None = None,
    edited_elsewhere: bool = False,
    reset_writes_unchanged: bool = False,
) -> bool:
    """Bring ``obj`` (a row the pack loaded before) in line with the pack text ``wanted``,
    unless an editor changed it. Returns True when it was (re)written.

    - Its text (``current``, by default ``wanted``'s fields read from ``obj``) already is the
      pack's: kept; its ``pack_hash`` is brought up to date.
    - Edited since loading (its text no longer matches its ``pack_hash``, or
      ``edited_elsewhere``, e.g. a page's unpublished draft): kept as the editor left it and
      reported (``report.edited``), unless ``reset``.
    - Otherwise (the pack's text changed, or ``reset``): ``obj.pack_hash`` is set and
      ``write()`` stores ``wanted`` (the caller knows how: fields, revisions, publishing).

    ``reset_writes_unchanged``: with ``reset``, write even a row that holds the pack's text
    (the blog's templates: a reset publishes each one afresh)."""
    new = pack_hash(wanted)
    if current is None:
        current = {name: getattr(obj, name) for name in wanted}
    now = pack_hash(current)
    if now == new and not edited_elsewhere and not (reset and reset_writes_unchanged):
        if obj.pack_hash != new:
            obj.pack_hash = new
            type(obj)._default_manager.filter(pk=obj.pk).update(pack_hash=new)
        report.kept.append(label)
        return False
    if (now != obj.pack_hash or edited_elsewhere) and not reset:
        report.kept.append(f"{label} (edited in the portal)")
        report.edited.append(label)
        return False
    obj.pack_hash = new
    write()
    report.updated.append(label)
    return True


@contextmanager
def info_logs_quiet() -> Iterator[None]:
    """Within it, no INFO log lines: the loading commands print one line per loaded item or
    app, and the services' own INFO lines (Wagtail's "Page created", "Page edited",
    "Published" for every save; our services' summaries) would repeat each item two to four
    times on the console. Warnings and errors still show; Wagtail's audit log in the
    database still records every action."""
    previous = logging.root.manager.disable
    logging.disable(max(logging.INFO, previous))
    try:
        yield
    finally:
        logging.disable(previous)
