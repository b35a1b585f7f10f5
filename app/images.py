"""Accepting organisers' photos safely: decode, re-encode, strip every piece of metadata.

An upload is accepted only when Pillow can decode it as a JPEG, PNG, WebP or
GIF image of sane dimensions. It is then rotated upright, scaled down, and
rebuilt from its pixels alone, so no EXIF (GPS position, time, camera), XMP,
ICC or text chunk from the original survives. Files get random names and are
only ever served as images.
"""

import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from wtforms.validators import ValidationError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SOURCE_PIXELS = 50_000_000  # a 50-megapixel phone photo, not a decompression bomb
MAX_EDGE = 1600
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


class RejectedImage(ValueError):
    """The upload is not an image we accept; the message says why, for the organiser."""


@dataclass
class CleanImage:
    data: bytes
    extension: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def clean_image(raw: bytes) -> CleanImage:
    if not raw:
        raise RejectedImage(_("Choose a photo to upload."))
    if len(raw) > MAX_UPLOAD_BYTES:
        raise RejectedImage(
            _("The photo is larger than %(size)s MB.", size=MAX_UPLOAD_BYTES // 1024 // 1024)
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(BytesIO(raw)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise RejectedImage(_("Upload a JPEG, PNG, WebP or GIF image."))
                if probe.width * probe.height > MAX_SOURCE_PIXELS:
                    raise RejectedImage(_("The image has too many pixels."))
                probe.verify()
            with PILImage.open(BytesIO(raw)) as source:
                source.load()
                image = ImageOps.exif_transpose(source)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        PILImage.DecompressionBombWarning,
        PILImage.DecompressionBombError,
    ) as error:
        if isinstance(error, RejectedImage):
            raise
        raise RejectedImage(_("That file is not an image we can read.")) from error

    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    # Rebuilt from raw pixels: nothing from the original file's metadata comes along.
    pixels_only = PILImage.frombytes(image.mode, image.size, image.tobytes())
    output = BytesIO()
    if has_alpha:
        pixels_only.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        pixels_only.save(output, format="JPEG", quality=82, optimize=True, progressive=True)
        extension = "jpg"
    return CleanImage(output.getvalue(), extension, pixels_only.width, pixels_only.height)


def media_folder() -> Path:
    folder = Path(current_app.config["MEDIA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(image: CleanImage) -> str:
    """Write the file under a random name and return that name.

    It is written beside its place and renamed into it, so a full disk leaves
    no half image behind, and the organiser is told in plain words.
    """
    filename = f"{secrets.token_hex(12)}.{image.extension}"
    temporary = None
    try:
        folder = media_folder()
        temporary = folder / f".{filename}.part"
        temporary.write_bytes(image.data)
        temporary.replace(folder / filename)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        current_app.logger.error("Could not store an uploaded image: %s", error.strerror)
        raise ValidationError(
            _(
                "The photo could not be stored (the server's disk may be full), so nothing "
                "was saved. Please tell whoever runs the site."
            )
        ) from error
    return filename


def remove(filename: str) -> None:
    (media_folder() / filename).unlink(missing_ok=True)
