"""Views for pages, report-backs (news) and uploaded images."""

import re

from flask import abort, render_template, request, send_from_directory

from app.addresses import sends_files
from app.images import media_folder
from app.models import Image, Page, Post
from app.numbers import whole_number
from app.public import bp, site_bp

MEDIA_NAME = re.compile(r"^[0-9a-f]{24}\.(jpg|png)$")


def requested_page() -> int:
    """The ?page= of a paged list: the first when absent or not a number; a number that
    names no page is not found, however large (past the database's range it was a 500)."""
    page = request.args.get("page", 1, type=int)
    if whole_number(page, least=1) is None:
        abort(404)
    return page


@bp.get("/news")
def news():
    return render_template("public/news.html", posts=Post.page_of_news(requested_page()))


@bp.get("/news/<slug>")
def post(slug: str):
    found = Post.visible_by_slug(slug)
    if found is None:
        abort(404)
    return render_template("public/post.html", post=found)


@site_bp.get("/media/<filename>")
@sends_files
def media(filename: str):
    image = Image.by_filename(filename) if MEDIA_NAME.match(filename) else None
    if image is None:
        abort(404)
    response = send_from_directory(
        media_folder(), image.filename, mimetype=image.content_type, max_age=31536000
    )
    # Only ever an image: never rendered as a document, even if opened directly.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/<slug>")
def page(slug: str):
    found = Page.published_by_slug(slug)
    if found is None:
        abort(404)
    return render_template("public/page.html", page=found)
