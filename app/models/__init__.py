"""The data model. Each module owns one subject; import models from here."""

from app.models import (
    stamping,  # noqa: F401  (registers the flush listener)
    text,  # noqa: F401  (cleans text as it is set)
)
from app.models.content import Image, Page, Post
from app.models.history import Change, ChangeAction
from app.models.logins import LoginFailure, LoginSession
from app.models.needs import BoardSection, Category, Need, NeedsBoard, Urgency
from app.models.routes import Danger, Figure, Place, Route, Stage
from app.models.settings import Settings
from app.models.sites import Site, SiteKind
from app.models.users import Role, User

__all__ = [
    "BoardSection",
    "Category",
    "Change",
    "ChangeAction",
    "Danger",
    "Figure",
    "Image",
    "LoginFailure",
    "LoginSession",
    "Page",
    "Place",
    "Post",
    "Route",
    "Need",
    "NeedsBoard",
    "Role",
    "Settings",
    "Site",
    "SiteKind",
    "Stage",
    "Urgency",
    "User",
]
