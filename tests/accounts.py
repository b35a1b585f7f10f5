"""Users for tests, and logging in as one through the login form."""

import uuid

from app.extensions import db
from app.models import Role, User
from tests.pages import csrf_token, csrf_token_from

PASSWORD = "correct horse battery staple"


def create_user(app, role=Role.organiser, email=None, password=PASSWORD, **fields) -> int:
    email = email or f"{role.value}-{uuid.uuid4().hex[:6]}@example.org"
    with app.app_context():
        user = User(
            email=email,
            display_name=fields.pop("display_name", email.split("@")[0]),
            role=role,
            **fields,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user.id


class AuthActions:
    """Log in and out as a user would, through the login form."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def login(self, email: str, password: str = PASSWORD, next_path: str | None = None):
        url = "/login" + (f"?next={next_path}" if next_path else "")
        token = csrf_token_from(self.client.get(url).get_data(as_text=True))
        return self.client.post(
            url, data={"email": email, "password": password, "csrf_token": token}
        )

    def login_as(self, role: Role = Role.organiser, **fields) -> int:
        email = fields.pop("email", None) or f"{role.value}-{uuid.uuid4().hex[:6]}@example.org"
        user_id = create_user(self.app, role=role, email=email, **fields)
        response = self.login(email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/admin/")})
