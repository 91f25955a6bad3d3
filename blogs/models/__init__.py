from .index import BlogIndexPage
from .posts import BlogBodyBlock, BlogPostPage, BlogPostTopic
from .templates import BlogTemplateLibraryPage, BlogTemplatePage

__all__ = [
    "BlogBodyBlock",
    "BlogIndexPage",
    "BlogPostPage",
    "BlogPostTopic",
    "BlogTemplateLibraryPage",
    "BlogTemplatePage",
]
