from .health import Heartbeat
from .pages import CachedViewRestrictionsMixin, HomePage, PersonalPageMixin
from .settings import PortalSettings
from .tokens import FeedToken
from .workflows import TwoPersonApprovalTask

__all__ = [
    "CachedViewRestrictionsMixin",
    "FeedToken",
    "Heartbeat",
    "HomePage",
    "PersonalPageMixin",
    "PortalSettings",
    "TwoPersonApprovalTask",
]
