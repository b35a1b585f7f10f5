"""Our admin templates against Flask-Admin's: what we copy is declared, and differs from
upstream only as intended; what we rely on privately is still there.

A template in templates/ with the path of one of Flask-Admin's takes its place silently, so
each such template, and each copy under another name, is declared in COPIES with what it
copies: the whole file, or named macros. The diff of each copy against the installed
upstream file (the header comment left out) must equal the one kept in
tests/admin_template_diffs/: an upstream change and an accidental local change both fail,
showing the diff. After reading a deliberate change (or carrying an upstream one over),
`python -m tests.test_admin_templates` writes the diffs again and records the installed
version and sha256 in each copy's header; commit them with the change.
"""

import difflib
import hashlib
import inspect
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import flask_admin
import pytest
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import BaseModelView
from flask_login import utils as login_utils

from app.admin.history import history_url
from app.models import Need, Role
from tests import builders

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
UPSTREAM = Path(flask_admin.__file__).parent / "templates" / "bootstrap4"
DIFFS = Path(__file__).resolve().parent / "admin_template_diffs"

# Our template: (the upstream template it copies, the macros copied, or None for all of it).
COPIES = {
    "admin/site_master.html": ("admin/base.html", None),
    "admin/actions.html": ("admin/actions.html", ["dropdown"]),
    "admin/model/layout.html": ("admin/model/layout.html", ["filter_options"]),
}
HEADER = re.compile(
    r"flask_admin/templates/bootstrap4/(?P<path>\S+)\s+"
    r"\(Flask-Admin (?P<version>[\w.]+), sha256 (?P<sha256>[0-9a-f]{64})\)"
)
MACRO = r"\{%-?\s*macro\s+NAME\(.*?\{%-?\s*endmacro\s*-?%\}"


def without_header(text: str) -> str:
    """A template without the comment it opens with."""
    if text.startswith("{#"):
        text = text[text.index("#}") + 2 :].removeprefix("\n")
    return text


def macro(text: str, name: str, where: str) -> str:
    found = re.search(MACRO.replace("NAME", re.escape(name)), text, re.S)
    assert found, f"{where} has no macro {name}"
    return found.group(0) + "\n"


def diff_of(copy: str) -> str:
    """How our copy differs from the installed upstream template, in the parts it copies."""
    upstream_path, macros = COPIES[copy]
    upstream = (UPSTREAM / upstream_path).read_text()
    ours = without_header((TEMPLATES / copy).read_text())
    parts = [(upstream, ours, "")] if macros is None else []
    for name in macros or ():
        parts.append(
            (
                macro(upstream, name, f"Flask-Admin's {upstream_path}"),
                macro(ours, name, f"templates/{copy}"),
                f" (macro {name})",
            )
        )
    return "".join(
        line + "\n"
        for old, new, what in parts
        for line in difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            f"flask_admin/templates/bootstrap4/{upstream_path}{what}",
            f"templates/{copy}{what}",
            n=1,
            lineterm="",
        )
    )


def expected_diff_file(copy: str) -> Path:
    return DIFFS / f"{copy.removeprefix('admin/')}.diff"


WHAT_TO_DO = (
    "If Flask-Admin changed, read its change in flask_admin/templates/bootstrap4/{upstream} and "
    "carry it into templates/{copy} where it applies; if ours changed on purpose, check it is "
    "meant. Then `python -m tests.test_admin_templates` records the new diff, version and "
    "sha256: commit them with the template."
)


@pytest.mark.parametrize("copy", COPIES)
def test_a_copy_differs_from_upstream_only_as_intended(copy):
    expected = expected_diff_file(copy).read_text()

    actual = diff_of(copy)

    if actual != expected:
        change = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"the intended differences ({expected_diff_file(copy).relative_to(DIFFS.parent)})",
                "the differences now",
            )
        )
        pytest.fail(
            f"templates/{copy} no longer differs from Flask-Admin {flask_admin.__version__}'s "
            f"{COPIES[copy][0]} only as intended. "
            + WHAT_TO_DO.format(upstream=COPIES[copy][0], copy=copy)
            + f"\n\nHow the differences changed (lines of the diff upstream → ours):\n{change}",
            pytrace=False,
        )


@pytest.mark.parametrize("copy", COPIES)
def test_a_copy_names_the_upstream_file_version_and_digest_it_was_made_from(copy):
    header = (TEMPLATES / copy).read_text().split("#}", 1)[0]
    match = HEADER.search(header)
    assert match, f"templates/{copy} should open by naming the upstream file, version and sha256"
    upstream = UPSTREAM / match["path"]

    assert match["path"] == COPIES[copy][0]
    assert match["version"] == flask_admin.__version__, (
        f"templates/{copy} was made from Flask-Admin {match['version']}, and "
        f"{flask_admin.__version__} is installed. "
        + WHAT_TO_DO.format(upstream=match["path"], copy=copy)
    )
    assert hashlib.sha256(upstream.read_bytes()).hexdigest() == match["sha256"], (
        f"Flask-Admin's {match['path']} is not the file templates/{copy} was made from. "
        + WHAT_TO_DO.format(upstream=match["path"], copy=copy)
    )


def test_no_template_takes_the_place_of_an_upstream_one_undeclared():
    ours = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")}
    upstream = {path.relative_to(UPSTREAM).as_posix() for path in UPSTREAM.rglob("*.html")}

    shadowing = ours & upstream

    assert shadowing <= set(COPIES), (
        f"{sorted(shadowing - set(COPIES))} replace Flask-Admin's templates of the same name: "
        "declare them in COPIES (with the header and a diff), or rename them"
    )


@pytest.mark.parametrize(
    "copy", [copy for copy, (_, macros) in COPIES.items() if macros is not None]
)
def test_a_partial_copy_still_offers_every_upstream_macro(copy):
    """Flask-Admin imports our file in place of its own: each macro it has must be there."""
    upstream_path, _ = COPIES[copy]
    ours = (TEMPLATES / copy).read_text()
    defined = set(re.findall(r"\{%-?\s*macro\s+(\w+)\(", ours))
    passed_on = set(re.findall(r"\{%-?\s*set\s+(\w+)\s*=\s*upstream\.\1\s*%\}", ours))

    upstream_macros = set(
        re.findall(r"\{%-?\s*macro\s+(\w+)\(", (UPSTREAM / upstream_path).read_text())
    )

    assert upstream_macros <= defined | passed_on, (
        f"Flask-Admin's {upstream_path} now has macros templates/{copy} does not pass on: "
        f"{sorted(upstream_macros - defined - passed_on)}. Add "
        "`{% set NAME = upstream.NAME %}` for each, beside the others."
    )
    assert f"{{% import 'bootstrap4/{upstream_path}' as upstream with context %}}" in ours


# What we override or read that Flask-Admin and Flask-Login keep private (no public hook does
# it; each use names the upstream function): a rename or a new signature fails here first.
PRIVATE = [
    (BaseModelView._get_list_extra_args, ["self"]),
    (BaseModelView._refresh_filters_cache, ["self"]),
    (ModelView._apply_search, ["self", "query", "count_query", "joins", "count_joins", "search"]),
    (ModelView._apply_path_joins, ["self", "query", "joins", "path", "inner_join"]),
]


@pytest.mark.parametrize("function, parameters", PRIVATE, ids=lambda item: str(item)[:40])
def test_the_private_flask_admin_methods_we_use_are_still_there(function, parameters):
    assert list(inspect.signature(function).parameters) == parameters


def test_flask_admin_still_keeps_the_search_fields_we_search():
    assert "self._search_fields.append((column, joins))" in inspect.getsource(ModelView)


def test_flask_login_still_keeps_the_user_in_g_login_user():
    assert "g._login_user" in inspect.getsource(login_utils._get_user)


class Inputs(HTMLParser):
    """Each input, with the id of the form it belongs to (its form attribute, or the form
    around it)."""

    def __init__(self):
        super().__init__()
        self.forms, self.inputs = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(attrs.get("id"))
        elif tag == "input":
            owner = attrs.get("form") or (self.forms[-1] if self.forms else None)
            self.inputs.append((owner, attrs))

    def handle_endtag(self, tag):
        if tag == "form" and self.forms:
            self.forms.pop()


def test_the_needs_list_sends_when_it_was_listed_with_a_bulk_action(app, auth, client):
    builders.need(app, builders.category(app))
    auth.login_as(Role.organiser)
    html = client.get("/admin/needs/").get_data(as_text=True)
    parser = Inputs()
    parser.feed(html)

    listed_at = [attrs for owner, attrs in parser.inputs if attrs.get("name") == "listed_at"]
    in_the_form = [attrs for owner, attrs in parser.inputs if owner == "action_form"]

    assert len(listed_at) == 1
    assert listed_at[0] in in_the_form
    assert {"action", "csrf_token"} <= {attrs.get("name") for attrs in in_the_form}
    assert 'id="action_form"' in html


def test_the_list_menus_carry_no_inline_script(app, auth, client):
    builders.need(app, builders.category(app))
    auth.login_as(Role.admin)
    html = client.get("/admin/needs/").get_data(as_text=True)

    # (Upstream's other menus keep href="javascript:void(0)": Bootstrap opens them, and
    # our CSP only stops that address being followed, which nothing needs.)
    assert "onclick" not in html
    assert '<a href="#" class="dropdown-item filter">' in html
    assert 'data-admin-action="mark_urgent"' in html
    assert "/admin/needs/delete/confirm?id=" in html


def test_history_links_list_the_changes_to_one_record(app, auth, client):
    category_id = builders.category(app)
    first = builders.need(app, category_id, name="First sleeping bags")
    builders.need(app, category_id, name="Second sleeping bags")
    with app.test_request_context():
        url = history_url(Need.__tablename__, first)
    auth.login_as(Role.admin)

    html = client.get(url).get_data(as_text=True)

    assert "First sleeping bags" in html and "Second sleeping bags" not in html


def record_upstream(copy: str) -> None:
    """Write the installed upstream file's version and sha256 into our copy's header."""
    path = TEMPLATES / copy
    text = path.read_text()
    header, rest = text.split("#}", 1)
    upstream = UPSTREAM / COPIES[copy][0]
    digest = hashlib.sha256(upstream.read_bytes()).hexdigest()
    header = HEADER.sub(
        lambda match: (
            match[0]
            .replace(match["version"], flask_admin.__version__)
            .replace(match["sha256"], digest)
        ),
        header,
    )
    path.write_text(header + "#}" + rest)


if __name__ == "__main__":  # record the intended diffs again, after reading a change
    for copy in COPIES:
        record_upstream(copy)
        expected_diff_file(copy).parent.mkdir(parents=True, exist_ok=True)
        expected_diff_file(copy).write_text(diff_of(copy))
        sys.stdout.write(f"recorded templates/{copy} against Flask-Admin's {COPIES[copy][0]}\n")
