"""Accounts: password policy and hashing."""

import pytest

from app.models import User
from app.models.users import password_problem


@pytest.mark.parametrize("password", ["short", "password123", "qwertyuiop", "aaaaaaaaaaaaaa"])
def test_weak_passwords_are_refused(password):
    assert password_problem(password)
    with pytest.raises(ValueError):
        User().set_password(password)


def test_a_passphrase_is_accepted():
    assert password_problem("plenty of dry socks") is None


def test_production_hashes_use_argon2id_with_strong_parameters():
    from argon2 import PasswordHasher

    hashed = PasswordHasher().hash("plenty of dry socks")  # the parameters users.py uses

    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_check_password_accepts_only_the_right_password():
    user = User()
    user.set_password("plenty of dry socks")

    assert user.check_password("plenty of dry socks")
    assert not user.check_password("plenty of dry sock")
    assert not user.check_password("")
