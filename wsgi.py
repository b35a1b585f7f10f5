"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi …`."""

import gc

from app import create_app

app = create_app()

# What the app is made of lives as long as the process: the cycle collector need not walk
# it again at every full collection (a tenth of a mirror rebuild's time, measured by
# `make bench`). Objects made later are collected as usual.
gc.freeze()
