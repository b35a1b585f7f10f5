"""/needs.csv: the items of /needs for spreadsheets, in the page's language, safe to open."""

import csv
import io

from app.extensions import db
from app.models import Need
from tests import builders
from tests.pages import elements


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # a BOM: spreadsheets then read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_the_csv_lists_what_the_needs_page_lists_in_each_language(app, runner, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        socks = db.session.scalar(db.select(Need).where(Need.name == "Socks"))
        socks.details = '=HYPERLINK("https://evil.example","click"), then "quotes"\nand a line'
        socks.set_translation("fr", "name", "Chaussettes chaudes")
        db.session.commit()

    for prefix, header in (("", "Name"), ("/fr", "Nom")):
        response = client.get(f"{prefix}/needs.csv")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"].endswith('.csv"')
        assert b"\r\n" in response.get_data()
        rows = read_csv(response)
        column = rows[0].index(header)
        page = client.get(f"{prefix}/needs").get_data(as_text=True)
        names = [item.select(".need-name strong")[0].text for item in elements(page, "li.need")]
        assert [row[column] for row in rows[1:]] == names, prefix
        assert all(len(row) == len(rows[0]) for row in rows)

    french = read_csv(client.get("/fr/needs.csv"))
    assert french[0][:4] == ["ID", "Catégorie", "Nom", "Urgence"]
    row = next(row for row in french if row[2] == "Chaussettes chaudes")
    assert row[3] == "Urgent"
    english = read_csv(client.get("/needs.csv"))
    details = english[0].index("Details")
    socks_row = next(row for row in english if row[2] == "Socks")
    # Quoted as RFC 4180 says, and never a formula in a spreadsheet.
    assert socks_row[details].startswith("'=HYPERLINK(")
    assert socks_row[details].endswith('then "quotes"\nand a line')


def test_cells_that_would_be_formulas_are_text(app, client):
    category = builders.category(app, "+Tools", slug="tools")
    for name in ("-Knives", "@Rope", "=1+1", "Plain"):
        builders.need(app, category, name, unit="bag | bags", quantity=3)

    rows = read_csv(client.get("/needs.csv"))

    assert sorted(row[2] for row in rows[1:]) == ["'-Knives", "'=1+1", "'@Rope", "Plain"]
    assert {row[1] for row in rows[1:]} == {"'+Tools"}
    assert {(row[5], row[6], row[7]) for row in rows[1:]} == {("3", "3", "bags")}
