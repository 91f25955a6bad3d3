from .engagement import ReadCount, ReadDigest
from .health import Heartbeat
from .identity import ExternalIdentity
from .pages import CachedViewRestrictionsMixin, HomePage, PersonalPageMixin, ReadsCountedMixin
from .settings import PortalSettings
from .tokens import FeedToken
from .workflows import TwoPersonApprovalTask

__all__ = [
    "CachedViewRestrictionsMixin",
    "ExternalIdentity",
    "FeedToken",
    "Heartbeat",
    "HomePage",
    "PersonalPageMixin",
    "PortalSettings",
    "ReadCount",
    "ReadDigest",
    "ReadsCountedMixin",
    "TwoPersonApprovalTask",
]
