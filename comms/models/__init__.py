from .health import Heartbeat
from .pages import CachedViewRestrictionsMixin, HomePage
from .settings import PortalSettings
from .tokens import FeedToken
from .workflows import TwoPersonApprovalTask

__all__ = [
    "CachedViewRestrictionsMixin",
    "FeedToken",
    "Heartbeat",
    "HomePage",
    "PortalSettings",
    "TwoPersonApprovalTask",
]
