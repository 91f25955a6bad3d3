"""The comms-pack loader's framework: each content app contributes a loader.

``settings.COMMS_PACK_LOADERS`` lists dotted paths of callables
``load(*, reset: bool) -> PackReport``. ``manage.py load_comms_pack`` runs them in order. A
loader is idempotent: it finds its rows by natural key, creates what is missing, keeps what an
editor has changed since it was loaded, and with ``reset`` restores the pack's text.
"""

import logging
from collections.abc import Iterator
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

    def summary(self) -> str:
        return (
            f"{self.name}: {len(self.created)} created, {len(self.updated)} restored, "
            f"{len(self.kept)} kept, {len(self.skipped)} skipped"
        )


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
