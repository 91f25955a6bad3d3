import pytest

from blogs import pack
from blogs.models import BlogIndexPage, BlogTemplatePage


@pytest.fixture
def blog_pack(db):
    """The blog as `load_comms_pack` leaves it: /blog/, the template library, both templates."""
    pack.load(reset=False)
    return {
        "index": BlogIndexPage.objects.get(),
        "blog_1": BlogTemplatePage.objects.get(pack_key="blog-1"),
        "blog_2": BlogTemplatePage.objects.get(pack_key="blog-2"),
    }
