"""Accounts: password policy and hashing."""

import pytest
from argon2 import PasswordHasher
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import User
from app.models.users import password_problem
from tests.accounts import create_user


@pytest.mark.parametrize("password", ["short", "password123", "qwertyuiop", "aaaaaaaaaaaaaa"])
def test_weak_passwords_are_refused(password):
    assert password_problem(password)
    with pytest.raises(ValueError):
        User().set_password(password)


def test_a_passphrase_is_accepted():
    assert password_problem("plenty of dry socks") is None


def test_production_hashes_use_argon2id_with_strong_parameters():
    hashed = PasswordHasher().hash("plenty of dry socks")  # the parameters users.py uses

    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_check_password_accepts_only_the_right_password():
    user = User()
    user.set_password("plenty of dry socks")

    assert user.check_password("plenty of dry socks")
    assert not user.check_password("plenty of dry sock")
    assert not user.check_password("")


def test_values_never_appear_in_database_errors(app):
    """A refused save is logged with its error; the values (a password hash) must not be."""
    create_user(app, email="maya@example.org")
    with app.app_context():
        user = User(email="maya@example.org", display_name="Copy", password_hash="$argon2id$x")
        db.session.add(user)
        with pytest.raises(IntegrityError) as refused:
            db.session.flush()
        db.session.rollback()

    assert "$argon2id$x" not in str(refused.value)
    assert "parameters hidden" in str(refused.value)
