"""The data model. Each module owns one subject; import models from here."""

from app.models.needs import BoardSection, Category, Need, NeedsBoard, Urgency
from app.models.settings import Settings
from app.models.sites import Site, SiteKind
from app.models.users import Role, User

from app.models import stamping  # noqa: F401  (registers the flush listener)

__all__ = [
    "BoardSection",
    "Category",
    "Need",
    "NeedsBoard",
    "Role",
    "Settings",
    "Site",
    "SiteKind",
    "Urgency",
    "User",
]
