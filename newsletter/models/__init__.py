from .issues import NewsletterIndexPage, NewsletterIssuePage
from .lists import MailingList, Membership, Subscriber
from .sending import Delivery, Send

__all__ = [
    "Delivery",
    "MailingList",
    "Membership",
    "NewsletterIndexPage",
    "NewsletterIssuePage",
    "Send",
    "Subscriber",
]
