"""A field is called the same in the admin, on the phone board and on the public pages."""

import re

from markupsafe import escape

from app.models import Need, Role, Site, Urgency
from tests import builders


def form_labels(html: str) -> dict[str, str]:
    """Each form field's label, by the field's id."""
    return {
        field: re.sub(r"<[^>]+>|&nbsp;", "", text).strip()
        for field, text in re.findall(r'<label[^>]*for="([^"]+)"[^>]*>(.*?)</label>', html, re.S)
    }


def test_site_fields_have_one_name_in_the_admin_and_on_the_public_list(app, client, auth):
    builders.site(
        app,
        "Calais warehouse",
        address="Rue 1",
        opening_hours="Mon–Fri 10–17",
        booking_rule="Email us first",
        ship_to="PO box 1",
        notes="Ring twice",
    )
    auth.login_as(Role.organiser)

    labels = form_labels(client.get("/admin/sites/new/").get_data(as_text=True))
    html = client.get("/needs").get_data(as_text=True)
    text = client.get("/needs.txt").get_data(as_text=True)

    for field, label in Site.LABELS.items():
        # A translated field's original is labelled with its language: "Address — English".
        expected = f"{label} — English" if field in Site.TRANSLATED else label
        assert labels[field] == expected
    card = re.search(r'<article class="site">.*?</article>', html, re.S).group(0)
    assert re.findall(r"<dt>(.*?)</dt>", card) == [
        escape(Site.LABELS[field])
        for field in ("address", "opening_hours", "booking_rule", "ship_to", "notes")
    ]
    assert f"  {Site.LABELS['opening_hours']}: Mon–Fri 10–17\n" in text
    assert f"  {Site.LABELS['booking_rule']}: Email us first\n" in text
    # The words donors read on the list.
    assert Site.LABELS["booking_rule"] == "Before you come"
    assert Site.LABELS["ship_to"] == "Sending by post or courier"


def test_item_fields_have_one_name_in_the_admin_and_on_the_board(app, client, auth):
    builders.need(app, builders.category(app), "Sleeping bags", Urgency.urgent, quantity=10)
    auth.login_as(Role.organiser)

    admin = form_labels(client.get("/admin/needs/new/").get_data(as_text=True))
    board = form_labels(client.get("/admin/board/").get_data(as_text=True))
    new = form_labels(client.get("/admin/board/new").get_data(as_text=True))

    assert admin["needed_until"] == Need.LABELS["needed_until"] == "Needed until"
    assert admin["received"] == Need.LABELS["received"] == "Received so far"
    assert [label for field, label in board.items() if field.endswith("-received")] == [
        Need.LABELS["received"]
    ]
    assert new["needed_until"] == f"{Need.LABELS['needed_until']} (optional)"
