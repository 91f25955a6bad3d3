from .bounces import InboundMessage
from .clicks import Click, ClickerDigest, LinkClickDay, SendClickers, SendLink
from .issues import NewsletterIndexPage, NewsletterIssuePage
from .lists import DirectoryOptOut, MailingList, Membership, Subscriber
from .sending import Delivery, Send
from .sharing import PublicLink

__all__ = [
    "Click",
    "ClickerDigest",
    "LinkClickDay",
    "SendClickers",
    "SendLink",
    "Delivery",
    "DirectoryOptOut",
    "InboundMessage",
    "MailingList",
    "Membership",
    "NewsletterIndexPage",
    "NewsletterIssuePage",
    "PublicLink",
    "Send",
    "Subscriber",
]
