"""Flask-Admin views for pages, report-backs and images."""

from datetime import datetime

from flask import current_app, request
from flask_admin.form import FileUploadInput
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import DateTimeLocalField, FileField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app import images
from app.addresses import site_addresses
from app.admin.base import MAX_ID, SLUG_RULE, SecureModelView
from app.dates import local_datetime, local_zone


def not_reserved(form, field):
    """A page's address is /<slug>: it may not be one the site itself uses (app/addresses.py)."""
    if (field.data or "").lower() in site_addresses(current_app).reserved:
        raise ValidationError(
            _("“%(slug)s” is an address the site itself uses; choose another.", slug=field.data)
        )


SLUG_ARGS = {
    "validators": [DataRequired(), Length(max=80), SLUG_RULE],
    "description": _l("The page’s address: lower-case words with hyphens, e.g. get-involved."),
}
BODY_HELP = _l(
    "Markdown: **bold**, *italic*, [links](https://…), lists. To show an uploaded image, "
    "paste the line the Images list gives for it."
)


class PageView(SecureModelView):
    column_list = ["title", "slug", "is_published", "nav_position", "updated_at"]
    column_formatters = {"updated_at": lambda v, c, page, n: local_datetime(page.updated_at)}
    column_labels = {
        "title": _l("Title"),
        "slug": _l("Address"),
        "description": _l("Description"),
        "body": _l("Text"),
        "image": _l("Image"),
        "updated_at": _l("Updated"),
        "is_published": _l("Published"),
        "nav_position": _l("In the menu at"),
    }
    column_default_sort = "title"
    column_searchable_list = ["title", "body"]
    form_columns = ["title", "slug", "description", "body", "image", "nav_position", "is_published"]
    form_args = {
        "title": {"validators": [DataRequired(), Length(max=150)]},
        "slug": {**SLUG_ARGS, "validators": [*SLUG_ARGS["validators"], not_reserved]},
        "description": {
            "validators": [Length(max=300)],
            "description": _l("One or two sentences shown by search engines and in link previews."),
        },
        "body": {"description": BODY_HELP},
        "image": {"description": _l("Optional: shown at the top and in link previews.")},
        "nav_position": {
            "validators": [Optional(), NumberRange(min=0, max=MAX_ID)],
            "description": _l(
                "Leave empty to keep the page out of the menu; 1, 2, 3… to order it."
            ),
        },
    }
    form_widget_args = {"body": {"rows": 14}}


class PostView(SecureModelView):
    column_list = ["title", "published_at", "author_name", "updated_at"]
    column_labels = {
        "title": _l("Title"),
        "slug": _l("Address"),
        "summary": _l("Summary"),
        "body": _l("Text"),
        "image": _l("Image"),
        "updated_at": _l("Updated"),
        "published_at": _l("Published"),
        "author_name": _l("By"),
    }
    column_default_sort = ("published_at", True)
    column_searchable_list = ["title", "summary", "body"]
    column_formatters = {
        "published_at": lambda v, c, post, n: local_datetime(post.published_at) or _("Draft"),
        "updated_at": lambda v, c, post, n: local_datetime(post.updated_at),
    }
    form_columns = ["title", "slug", "summary", "body", "image", "author_name", "published_at"]
    # The phone's own date-and-time picker, no JavaScript (and Flask-Admin does not
    # convert our UTCDateTime column by itself).
    form_overrides = {"published_at": DateTimeLocalField}
    form_args = {
        "title": {"validators": [DataRequired(), Length(max=150)]},
        "slug": {
            **SLUG_ARGS,
            "description": _l("The address after /news/, e.g. week-in-calais."),
        },
        "summary": {"validators": [Length(max=300)], "description": _l("One or two sentences.")},
        "body": {"description": BODY_HELP},
        "author_name": {
            "validators": [Length(max=80)],
            "description": _l("A pseudonym is fine."),
        },
        "published_at": {
            "label": _l("Publish at"),
            "validators": [Optional()],
            "format": ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
            "description": _l(
                "Local time. Empty: a draft. In the future: the post appears by itself at that "
                "time."
            ),
        },
    }
    form_widget_args = {"body": {"rows": 14}}

    def on_form_prefill(self, form, id):
        # Organisers read and write local times; the database keeps UTC.
        published = form.published_at.data
        if published is not None and published.tzinfo is not None:
            form.published_at.data = published.astimezone(local_zone()).replace(tzinfo=None)

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        published = model.published_at
        if isinstance(published, datetime) and published.tzinfo is None:
            model.published_at = published.replace(tzinfo=local_zone())


def _preview(view, context, image, name):
    height = round(120 * image.height / image.width)
    return Markup('<img src="{}" alt="{}" width="120" height="{}">').format(
        image.path, image.alt_text, height
    )


def _snippet(view, context, image, name):
    return Markup("<code>{}</code>").format(image.markdown)


class ImageView(SecureModelView):
    """Uploads are decoded, re-encoded and stripped of metadata before anything is saved."""

    can_edit = True
    column_list = ["filename", "alt_text", "markdown", "created_at"]
    column_labels = {
        "filename": _l("Image"),
        "alt_text": _l("Description (alt text)"),
        "markdown": _l("Paste into a page or post"),
        "created_at": _l("Added"),
    }
    column_formatters = {
        "filename": _preview,
        "markdown": _snippet,
        "created_at": lambda v, c, image, n: local_datetime(image.created_at),
    }
    column_default_sort = ("created_at", True)
    form_columns = ["upload", "alt_text"]
    form_extra_fields = {
        "upload": FileField(
            _l("Photo"),
            widget=FileUploadInput(),
            description=_l(
                "JPEG, PNG, WebP or GIF up to 10 MB. Location, time and camera details are "
                "removed before it is saved."
            ),
        )
    }
    form_args = {
        "alt_text": {
            "label": _l("Description (alt text)"),
            "validators": [
                DataRequired(_l("Describe the image for people who cannot see it.")),
                Length(max=300),
            ],
            "description": _l(
                "What the image shows, for people who cannot see it. Never name or describe "
                "people in a way that identifies them."
            ),
        }
    }

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        del form.upload  # the image itself is not replaced; upload a new one instead
        return form

    def validate_form(self, form):
        valid = super().validate_form(form)
        if not hasattr(form, "upload"):
            return valid
        upload = request.files.get(form.upload.name)
        try:
            form.clean_image = images.clean_image(upload.read() if upload else b"")
        except images.RejectedImage as rejected:
            form.upload.errors = [*form.upload.errors, str(rejected)]
            return False
        return valid

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if is_created:
            clean = form.clean_image
            model.filename = images.store(clean)
            model.width, model.height = clean.width, clean.height
            model.content_type = clean.content_type

    def after_model_delete(self, model):
        images.remove(model.filename)
