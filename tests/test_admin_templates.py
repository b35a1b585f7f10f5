"""Our copies of Flask-Admin's templates are read again whenever Flask-Admin changes them."""

import hashlib
import re
from pathlib import Path

import flask_admin
import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
UPSTREAM = Path(flask_admin.__file__).parent / "templates" / "bootstrap4"
COPIES = ["admin/site_master.html"]


@pytest.mark.parametrize("copy", COPIES)
def test_a_copied_template_names_the_upstream_file_it_was_made_from(copy):
    header = (TEMPLATES / copy).read_text()[:1200]
    match = re.search(r"flask_admin/templates/bootstrap4/(\S+)\s*\(sha256 ([0-9a-f]{64})", header)
    assert match, f"{copy} should say which upstream file (and its sha256) it copies"
    upstream = UPSTREAM / match.group(1)

    digest = hashlib.sha256(upstream.read_bytes()).hexdigest()

    assert digest == match.group(2), (
        f"Flask-Admin's {match.group(1)} changed: compare it with templates/{copy}, carry the "
        "changes over, and record the new sha256 in the copy's header"
    )
