"""The static mirror: the whole public site as plain files, kept current.

    flask --app wsgi mirror build DIR [--full]

writes the public site as files that any web server (nginx in production:
docs/deploy.md), or a USB stick opened in a browser, can show with the app
and its database switched off. With MIRROR_DIR set, every serving process
keeps that mirror current by itself (watcher.py): within about a second of
any change to the content version, from any worker or host, and at every
publication time and midnight.

- files.py: addresses → files, builds, the manifest, the atomic swap;
- build.py: rendering through the app, full and incremental builds;
- watcher.py: one watcher per host, woken by commits and by the clock.
"""

import click
from flask import Flask

from app.mirror.build import BuildResult, MirrorUnavailable, build_mirror
from app.mirror.watcher import MirrorKeeper

__all__ = ["BuildResult", "MirrorUnavailable", "build_mirror", "init_mirror"]


def init_mirror(app: Flask) -> None:
    """With MIRROR_DIR set: nudge the host's watcher after commits, and, when this
    process serves the site (not a `flask` command), take part in watching once the
    app is complete (MirrorKeeper.start, the factory's last step)."""
    target = app.config.get("MIRROR_DIR")
    if target:
        serving = click.get_current_context(silent=True) is None
        app.extensions["mirror"] = MirrorKeeper(app, target, watch=serving)
