from .issues import NewsletterIndexPage, NewsletterIssuePage
from .lists import MailingList, Membership, Subscriber
from .sending import Delivery, Send
from .sharing import PublicLink

__all__ = [
    "Delivery",
    "MailingList",
    "Membership",
    "NewsletterIndexPage",
    "NewsletterIssuePage",
    "PublicLink",
    "Send",
    "Subscriber",
]
