"""``load_comms_pack`` loader for the newsletter: the archive page at /newsletters/.

The pack's newsletter outline itself lives in code (``newsletter.blocks`` help texts and
``newsletter.services.assembly``), so an editor gets it every time they assemble an issue.
"""

from comms.models import HomePage
from comms.pack import PackReport
from newsletter.models import NewsletterIndexPage

ARCHIVE_INTRO = (
    "The Trusted Research newsletter from the research office: news, case studies, training "
    "and the figures, every month or quarter."
)


def load(*, reset: bool = False) -> PackReport:
    """Create /newsletters/ under the home page if it is missing. Idempotent; an existing
    archive is kept as editors left it (``reset`` does not change it)."""
    report = PackReport(name="newsletter")
    home = HomePage.objects.first()
    if home is None:
        report.skipped.append("newsletter archive (no home page: run migrate first)")
        return report
    if NewsletterIndexPage.objects.exists():
        report.kept.append("newsletter archive")
        return report
    archive = NewsletterIndexPage(title="Newsletters", slug="newsletters", intro=ARCHIVE_INTRO)
    home.add_child(instance=archive)
    archive.save_revision().publish()
    report.created.append("newsletter archive")
    return report
