from .pages import HomePage
from .settings import PortalSettings
from .tokens import FeedToken
from .workflows import TwoPersonApprovalTask

__all__ = ["FeedToken", "HomePage", "PortalSettings", "TwoPersonApprovalTask"]
