from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.widgets import Button, ListingButton

from blogs import views
from blogs.models import BlogPostPage, BlogTemplatePage
from comms.page_viewsets import placeholder_guard_page_viewset


@hooks.register("register_admin_urls")
def register_blog_admin_urls():
    return [
        path(
            "blogs/templates/<int:page_id>/write/",
            views.write_from_template,
            name="blogs_write_from_template",
        )
    ]


@hooks.register("register_page_header_buttons")
def write_from_template_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, BlogTemplatePage):
        yield Button(
            "Write a post from this template",
            reverse("blogs_write_from_template", args=[page.pk]),
            icon_name="edit",
            priority=5,
        )


@hooks.register("register_page_listing_buttons")
def write_from_template_listing_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, BlogTemplatePage):
        yield ListingButton(
            "Write a post",
            reverse("blogs_write_from_template", args=[page.pk]),
            icon_name="edit",
            priority=5,
        )


@hooks.register("register_admin_viewset")
def register_blog_post_viewset():
    return placeholder_guard_page_viewset(BlogPostPage, icon="doc-full")
