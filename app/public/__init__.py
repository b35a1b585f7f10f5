"""The public site: the pages donors and supporters read."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import content, feeds, needs, routes  # noqa: E402,F401
