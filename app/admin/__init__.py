"""The organisers' admin: Flask-Admin views behind one secured base view.

`base.py` holds the access rule and what every model view shares; each subject has
its own module (needs, sites, settings, users, content, routes, history), as the
models do; `board.py` is the phone board, `dashboard.py` the admin's first page.
"""

from pathlib import Path

import flask_admin
from flask import Blueprint, Flask
from flask_admin import Admin
from flask_admin.menu import MenuLink
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from app.admin.board import BoardView
from app.admin.content import ImageView, PageView, PostView
from app.admin.dashboard import DashboardView
from app.admin.history import HISTORY_ENDPOINT, ChangeView, history_url
from app.admin.language import LanguageView, language_url
from app.admin.needs import CategoryView, NeedView
from app.admin.routes import FigureView, PlaceView, RouteView, StageView
from app.admin.settings import SettingsView
from app.admin.sites import SiteView
from app.admin.translating import in_original, original_lang
from app.admin.users import UserView
from app.assets import register_admin_static_files
from app.extensions import db
from app.models import (
    Category,
    Change,
    Figure,
    Image,
    Need,
    Page,
    Place,
    Post,
    Route,
    Settings,
    Site,
    Stage,
    User,
)
from app.security import csp_nonce

# Flask-Admin's own templates under names of their own ("bootstrap4/admin/actions.html"), so
# that a template of ours that takes the place of one of them can still import the original.
UPSTREAM_TEMPLATES = Path(flask_admin.__file__).parent / "templates"


class SiteAdmin(Admin):
    """Flask-Admin's Admin, keeping the views it is given (the dashboard included), and the
    model views by model, for what needs them (the site's addresses, a model's name and
    endpoint): Flask-Admin keeps its views in a private list."""

    def __init__(self, *args, **kwargs):
        self.views = []
        self.model_views = {}
        super().__init__(*args, **kwargs)

    def add_view(self, view) -> None:
        super().add_view(view)
        self.views.append(view)
        model = getattr(view, "model", None)
        if model is not None:
            self.model_views.setdefault(model, view)

    def view_for(self, model):
        """The admin view of a model, or None."""
        return self.model_views.get(model)


def init_admin(app: Flask) -> SiteAdmin:
    app.register_blueprint(
        Blueprint("flask_admin_templates", __name__, template_folder=UPSTREAM_TEMPLATES)
    )
    app.add_template_global(history_url)
    app.add_template_global(in_original)
    app.add_template_global(original_lang)
    app.add_template_global(language_url)
    admin = SiteAdmin(
        app,
        name=_l("Needs Now admin"),
        index_view=DashboardView(name=_l("Dashboard"), url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/site_master.html"),
        csp_nonce_generator=csp_nonce,
    )
    admin.add_view(BoardView(name=_l("Board"), endpoint="board", url="/admin/board"))
    admin.add_view(NeedView(Need, db, name=_l("Needs"), endpoint="needs"))
    admin.add_view(CategoryView(Category, db, name=_l("Categories"), endpoint="categories"))
    admin.add_view(SiteView(Site, db, name=_l("Drop-off sites"), endpoint="sites"))
    routes = _l("Routes")
    admin.add_view(RouteView(Route, db, name=_l("Routes"), endpoint="routes", category=routes))
    admin.add_view(StageView(Stage, db, name=_l("Stages"), endpoint="stages", category=routes))
    admin.add_view(PlaceView(Place, db, name=_l("Places"), endpoint="places", category=routes))
    admin.add_view(FigureView(Figure, db, name=_l("Figures"), endpoint="figures", category=routes))
    writing = _l("Writing")
    admin.add_view(PostView(Post, db, name=_l("Report-backs"), endpoint="posts", category=writing))
    admin.add_view(PageView(Page, db, name=_l("Pages"), endpoint="pages", category=writing))
    admin.add_view(ImageView(Image, db, name=_l("Images"), endpoint="images", category=writing))
    admin.add_view(SettingsView(Settings, db, name=_l("Settings"), endpoint="settings"))
    admin.add_view(ChangeView(Change, db, name=_l("Recent changes"), endpoint=HISTORY_ENDPOINT))
    admin.add_view(UserView(User, db, name=_l("Users"), endpoint="users"))
    admin.add_view(LanguageView(name=_l("Language"), endpoint="language", url="/admin/language"))
    admin.add_link(MenuLink(name=_l("Public site"), endpoint="public.needs"))
    register_admin_static_files(app)
    return admin
