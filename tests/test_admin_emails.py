"""Addresses are checked once (email_problem): the CLI and the admin refuse the same ones."""

import re
import socket

import pytest

from app.extensions import db
from app.models import Role, Settings, User
from app.models.users import email_problem
from tests import builders
from tests.pages import submit

BAD_ADDRESSES = ["no-at-sign", "a@b", "two@@example.org", " spaces @example.org"]
GOOD_ADDRESSES = ["maya@example.org", " Maya.Jones+calais@Example.ORG "]


def users(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(db.select(User.email)))


def message_beside(html: str, field: str) -> str:
    """The text of the form group that holds the field, from its label to the next label."""
    match = re.search(rf'<label[^>]*for="{field}".*?(?=<label|</form>)', html, re.S)
    assert match, f"no {field} field"
    return match.group(0)


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_the_cli_refuses_a_bad_address_in_one_line_and_saves_nothing(app, runner, address):
    result = runner.invoke(
        args=["users", "create", address, "--role", "organiser", "--password-stdin"],
        input="plenty of dry socks\n",
    )

    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("Error: “")
    assert "Enter a valid email address. Nothing was saved." in result.output
    assert "Traceback" not in result.output
    assert users(app) == []


def new_organiser(client, address: str):
    """The admin's form for a new account sent with `address`."""
    form = builders.organiser_form(address, "New", new_password="plenty of dry socks")
    return submit(client, "/admin/users/new/", form)


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_the_admin_refuses_the_same_addresses_beside_the_field(app, auth, client, address):
    auth.login_as(Role.admin, email="boss@example.org")

    response = new_organiser(client, address)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Enter a valid email address." in message_beside(html, "email")
    assert users(app) == ["boss@example.org"]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_the_group_contact_address_is_checked_the_same_way(app, auth, client, address):
    auth.login_as(Role.admin)

    response = submit(
        client,
        "/admin/settings/edit/?id=1",
        {"group_name": "Calais Solidarity", "contact_email": address, "check_after_days": "7"},
    )

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Enter a valid email address." in message_beside(html, "contact_email")
    with app.app_context():
        assert db.session.get(Settings, 1).contact_email == ""


@pytest.mark.parametrize("address", GOOD_ADDRESSES)
def test_the_cli_and_the_admin_accept_the_same_good_addresses(app, auth, client, runner, address):
    result = runner.invoke(
        args=["users", "create", address, "--role", "organiser", "--password-stdin"],
        input="plenty of dry socks\n",
    )
    assert result.exit_code == 0, result.output

    auth.login_as(Role.admin, email="boss@example.org")
    response = new_organiser(client, address.replace("@", "2@"))
    assert response.status_code == 302

    stored = address.strip().lower()
    assert users(app) == sorted(["boss@example.org", stored, stored.replace("@", "2@")])


def test_email_problem_needs_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("looked up the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)

    assert email_problem("maya@calais-solidarity-needs.example.org") is None
    assert email_problem("a@b") == "Enter a valid email address."
