"""Each organiser's admin language: chosen in the admin, saved on the account, and the admin
(Flask-Admin's own words and ours) in that language for that organiser alone."""

from app.demo import french_typography as french
from app.models import Role, Urgency, User
from tests import builders
from tests.accounts import create_user
from tests.pages import element, elements, submit


def choose(client, language: str, data=None, **options):
    return submit(client, "/admin/language/", {"language": language, **(data or {})}, **options)


def language_of(app, user_id: int) -> str:
    with app.app_context():
        return builders.get(app, User, user_id).language


def test_an_organiser_chooses_french_and_the_admin_speaks_french(app, auth, client):
    user_id = auth.login_as(Role.organiser)

    response = choose(client, "fr", follow_redirects=True)

    assert language_of(app, user_id) == "fr"
    html = response.get_data(as_text=True)
    assert element(html, "html").get("lang") == "fr"
    assert french("Langue de l’admin : Français.") in html
    needs = client.get("/admin/needs/").get_data(as_text=True)
    assert "Liste" in needs and "Créer" in needs  # Flask-Admin's own catalogue
    assert "Besoins" in needs and "Tableau" in needs  # ours: the menu
    form = client.get("/admin/needs/new/").get_data(as_text=True)
    assert "Enregistrer" in form and "Annuler" in form  # Flask-Admin's
    assert "Nom — Français" in form and french("Facultatif : combien il en faut.") in form  # ours
    board = client.get("/admin/board/").get_data(as_text=True)
    assert element(board, "html").get("lang") == "fr"
    assert "Le tableau des besoins" in element(board, "h1").text
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Ouvrir le tableau des besoins" in dashboard


def test_another_organiser_still_sees_english(app, auth, client):
    auth.login_as(Role.organiser)
    choose(client, "fr")
    auth.logout()

    auth.login_as(Role.organiser)
    html = client.get("/admin/needs/").get_data(as_text=True)

    assert element(html, "html").get("lang") == "en"
    assert "List" in html and "Liste" not in html


def test_a_language_the_site_does_not_speak_is_refused_with_a_reason(app, auth, client):
    user_id = auth.login_as(Role.organiser)

    response = choose(client, "de")

    assert response.status_code == 200
    error = element(response.get_data(as_text=True), "#language-error").text
    assert "English, Français" in error
    assert language_of(app, user_id) == ""


def test_the_site_default_is_a_choice_and_the_page_goes_back_where_it_came_from(app, auth, client):
    user_id = auth.login_as(Role.organiser, language="fr")

    response = choose(client, "", {"next": "/admin/board/"})

    assert response.headers["Location"] == "/admin/board/"
    assert language_of(app, user_id) == ""


def test_every_admin_page_and_the_board_link_to_the_choice(auth, client):
    auth.login_as(Role.organiser)

    for url in ("/admin/", "/admin/needs/", "/admin/board/", "/admin/board/new"):
        links = [a.get("href") for a in elements(client.get(url).text, "a[href]")]
        assert any(link.startswith("/admin/language/") for link in links), url


def test_admins_set_an_organisers_language_in_the_users_view(app, auth, client):
    auth.login_as(Role.admin)
    organiser = create_user(app, email="sam@example.org", display_name="Sam")

    response = submit(
        client,
        f"/admin/users/edit/?id={organiser}",
        builders.organiser_form("sam@example.org", "Sam", language="fr"),
    )

    assert response.status_code == 302
    assert language_of(app, organiser) == "fr"


def test_the_choice_without_a_csrf_token_is_refused(app, auth, client):
    user_id = auth.login_as(Role.organiser)

    response = client.post("/admin/language/", data={"language": "fr"})

    assert response.status_code == 400
    assert language_of(app, user_id) == ""


def test_list_filters_keep_their_addresses_in_french(app, auth, client):
    auth.login_as(Role.organiser, language="fr")
    category = builders.category(app)
    builders.need(app, category, "Socks", Urgency.urgent)
    builders.need(app, category, "Hats", Urgency.plenty)

    html = client.get("/admin/needs/?flt0_urgency_equals=urgent").get_data(as_text=True)

    assert "Socks" in html and "Hats" not in html
