from .pages import HomePage
from .settings import PortalSettings

__all__ = ["HomePage", "PortalSettings"]
