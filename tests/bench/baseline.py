"""The ceiling to compare against: Flask returning a constant string, nothing else."""

from flask import Flask

app = Flask(__name__)
PAGE = "<!doctype html><title>constant</title><p>The same page for every request.</p>"


@app.get("/")
@app.get("/<path:path>")
def constant(path: str = "") -> str:
    return PAGE
