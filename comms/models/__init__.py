from .pages import HomePage
from .settings import PortalSettings
from .tokens import FeedToken

__all__ = ["FeedToken", "HomePage", "PortalSettings"]
