"""``load_comms_pack`` loader for the blog: the index, the template library, the two templates."""

import logging

from wagtail.models import Page

from blogs import pack_data
from blogs.models import BlogIndexPage, BlogTemplateLibraryPage, BlogTemplatePage
from comms.models import HomePage
from comms.pack import PackReport, pack_hash, pack_sync
from comms.placeholders import scan_stream

logger = logging.getLogger(__name__)


def _child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _template_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "recommended_poster": data["recommended_poster"],
        "notes": data["notes"],
        "attribution": data["attribution"],
        "body": data["body"],
    }


def _template_sync(page: BlogTemplatePage, data: dict, *, reset: bool, report: PackReport):
    """``comms.pack.pack_sync`` for a template: its fields and body blocks as stored against
    the pack's; an unpublished draft counts as an edit; a reset publishes each template
    afresh."""
    wanted = _template_fields(data)

    def write() -> None:
        for name, value in wanted.items():
            setattr(page, name, value)
        page.save_revision().publish()

    current = {name: getattr(page, name) for name in wanted if name != "body"}
    current["body"] = list(page.body.raw_data)
    pack_sync(
        page,
        wanted,
        current=current,
        label=f"blog template {data['pack_key']}",
        reset=reset,
        report=report,
        write=write,
        edited_elsewhere=page.has_unpublished_changes,
        reset_writes_unchanged=True,
    )


def load(*, reset: bool = False) -> PackReport:
    """Create /blog/, the hidden template library and the pack's blog templates. Idempotent:
    a template an editor changed is kept as they left it (and reported); an untouched one
    follows the pack's text; ``reset`` restores the templates' pack text.
    A template whose text has an unreadable bracket is loaded anyway and the problem logged."""
    report = PackReport(name="blogs")
    home = HomePage.objects.first()
    if home is None:
        report.skipped.append("blog (no home page: run migrate first)")
        return report
    _, created = _child(
        home,
        BlogIndexPage,
        "blog",
        title="Blog",
        intro="<p>News and views on Trusted Research from our research community.</p>",
    )
    (report.created if created else report.kept).append("blog index")
    library, created = _child(
        home,
        BlogTemplateLibraryPage,
        "blog-templates",
        title=pack_data.LIBRARY_TITLE,
        intro=pack_data.LIBRARY_INTRO,
        show_in_menus=False,
    )
    (report.created if created else report.kept).append("blog template library")
    for data in pack_data.TEMPLATES:
        label = f"blog template {data['pack_key']}"
        page = BlogTemplatePage.objects.filter(pack_key=data["pack_key"]).first()
        if page is None:
            page = BlogTemplatePage(
                pack_key=data["pack_key"],
                slug=data["slug"],
                pack_hash=pack_hash(_template_fields(data)),
                **_template_fields(data),
            )
            library.add_child(instance=page)
            page.save_revision().publish()
            report.created.append(label)
        else:
            _template_sync(page, data, reset=reset, report=report)
        for problem in scan_stream(page.body.stream_block, data["body"], "Body").problems:
            logger.warning(
                "Blog template %s (page %s): %s", data["pack_key"], page.pk, problem.describe()
            )
    return report
