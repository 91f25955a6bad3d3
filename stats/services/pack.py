"""Load the comms pack's statistics, sources and metrics, and the /statistics/ page.

How an editor's edit survives a rerun: ``comms.pack.pack_sync`` (every loaded source and
statistic stores a hash of its pack text as loaded; a row whose text no longer matches it was
edited and is left alone, reported, unless ``reset`` restores the pack's text).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from comms.licence import OGL_URL, PACK_ATTRIBUTION
from comms.models import HomePage
from comms.pack import PackReport, pack_hash, pack_sync
from stats import pack_data
from stats.models import Metric, Source, Statistic, StatisticsIndexPage

logger = logging.getLogger(__name__)

REVIEW_AFTER_LOADING = timedelta(days=365)
INDEX_SLUG = "statistics"


def _sync(obj, wanted: dict, *, label: str, reset: bool, report: PackReport) -> bool:
    """``comms.pack.pack_sync`` for a source or statistic: its ``pack_fields()`` against the
    pack's; a write saves the row and a revision."""

    def write() -> None:
        for name, value in wanted.items():
            setattr(obj, f"{name}_id" if name == "source" else name, value)
        obj.save()
        obj.save_revision(clean=False)
        logger.info("Restored pack text of %s (id %s)", label, obj.pk)

    return pack_sync(
        obj, wanted, current=obj.pack_fields(), label=label, reset=reset, report=report, write=write
    )


def _load_sources(*, reset: bool, report: PackReport) -> dict[str, Source]:
    sources = {}
    for key, fields in pack_data.SOURCES.items():
        label = f"source {key}"
        source = Source.objects.filter(pack_key=key).first()
        if source is None:
            source = Source.objects.create(pack_key=key, pack_hash=pack_hash(fields), **fields)
            source.save_revision(clean=False)
            report.created.append(label)
        else:
            _sync(source, fields, label=label, reset=reset, report=report)
        sources[key] = source
    return sources


def _load_statistics(*, sources: dict[str, Source], reset: bool, report: PackReport) -> None:
    review_by = timezone.localdate() + REVIEW_AFTER_LOADING
    existing = {s.pack_number: s for s in Statistic.objects.filter(pack_number__isnull=False)}
    for number, figure, claim, source_key, topics in pack_data.STATISTICS:
        label = f"statistic {number}"
        wanted = {
            "figure": figure,
            "claim": claim,
            "footnote": pack_data.BIBLIOMETRICS_CAVEAT if source_key == pack_data.UUKI else "",
            "source": sources[source_key].pk,
            "as_of": pack_data.AS_OF[source_key],
            "attribution": PACK_ATTRIBUTION,
            "licence_url": OGL_URL,
        }
        statistic = existing.get(number)
        if statistic is None:
            fields = {k: v for k, v in wanted.items() if k != "source"}
            statistic = Statistic(
                pack_number=number,
                source=sources[source_key],
                review_by=review_by,
                pack_hash=pack_hash(wanted),
                **fields,
            )
            statistic.save()
            statistic.topics.add(*topics)
            statistic.save()
            statistic.save_revision(clean=False)
            report.created.append(label)
        else:
            _sync(statistic, wanted, label=label, reset=reset, report=report)


def _load_metrics(*, reset: bool, report: PackReport) -> None:
    for order, fields in enumerate(pack_data.METRICS, start=1):
        label = f"metric {fields['slug']}"
        metric = Metric.objects.filter(slug=fields["slug"]).first()
        if metric is None:
            metric = Metric.objects.create(sort_order=order * 10, from_pack=True, **fields)
            metric.save_revision(clean=False)
            report.created.append(label)
        elif reset and any(getattr(metric, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(metric, name, value)
            metric.save()
            metric.save_revision(clean=False)
            report.updated.append(label)
        else:
            report.kept.append(label)


def _load_index_page(*, report: PackReport) -> None:
    label = "page /statistics/"
    home = HomePage.objects.first()
    if home is None:
        report.skipped.append(f"{label}: there is no home page to put it under")
        return
    existing = home.get_children().filter(slug=INDEX_SLUG).first()
    if existing is None:
        page = StatisticsIndexPage(
            title="Statistics",
            slug=INDEX_SLUG,
            intro=(
                "<p>Figures you can quote in slides, posts and newsletters, each with its "
                "source. Copy the text or download a share card.</p>"
            ),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        report.created.append(label)
    elif existing.specific_class is not StatisticsIndexPage:
        report.skipped.append(f"{label}: the slug is taken by another page ({existing.pk})")
    else:
        report.kept.append(label)


@transaction.atomic
def stats_pack_load(*, reset: bool = False) -> PackReport:
    """Load the pack's 2 sources, 17 statistics and 7 metrics, and the /statistics/ page.

    Idempotent by natural key (source pack key, statistic pack number, metric slug): a rerun
    creates only what is missing and changes nothing else. A row an editor has changed since
    loading is kept as the editor left it unless ``reset`` is true, which restores the pack's
    text (topics and review-by dates are the editor's and stay). One transaction: on error
    nothing is loaded.
    """
    report = PackReport(name="Statistics")
    sources = _load_sources(reset=reset, report=report)
    _load_statistics(sources=sources, reset=reset, report=report)
    _load_metrics(reset=reset, report=report)
    _load_index_page(report=report)
    logger.info(report.summary())
    return report
