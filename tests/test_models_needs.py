"""The needs model: board order, expiry, stamping, constraints, on both databases."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.content_version import list_updated_at
from app.extensions import db
from app.models import Category, Need, Site, Urgency
from tests import builders


def test_board_has_one_section_per_urgency_in_order(app):
    clothes = builders.category(app)
    for urgency in reversed(Urgency):
        builders.need(app, clothes, f"Item {urgency.value}", urgency)

    with app.app_context():
        board = Need.public_board(date.today())
        assert [section.urgency for section in board.sections] == list(Urgency)
        assert all(section.count == 1 for section in board.sections)


def test_changing_an_item_stamps_updated_at(app):
    need_id = builders.need(app, builders.category(app))
    before = builders.get(app, Need, need_id).updated_at

    with app.app_context():
        db.session.get(Need, need_id).urgency = Urgency.urgent
        db.session.commit()

    after = builders.get(app, Need, need_id).updated_at
    assert after > before
    assert after.tzinfo is not None


def test_deleting_an_item_counts_as_a_change_to_the_list(app):
    need_id = builders.need(app, builders.category(app))
    with app.app_context():
        stamped = list_updated_at()
        db.session.delete(db.session.get(Need, need_id))
        db.session.commit()
        assert list_updated_at() > stamped


def test_datetimes_come_back_in_utc_on_every_database(app):
    moment = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
    need_id = builders.need(app, builders.category(app))
    with app.app_context():
        # Bypass the flush stamp to store an exact value.
        db.session.execute(db.update(Need).where(Need.id == need_id).values(updated_at=moment))
        db.session.commit()

    assert builders.get(app, Need, need_id).updated_at == moment


def test_quantity_must_be_positive_in_the_database_too(app):
    clothes = builders.category(app)
    with app.app_context():
        db.session.add(Need(category_id=clothes, name="Socks", quantity=0))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_category_with_items_cannot_be_deleted_in_the_database(app):
    clothes = builders.category(app)
    builders.need(app, clothes)
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(db.delete(Category).where(Category.id == clothes))
            db.session.commit()
        db.session.rollback()


def test_deleting_a_site_keeps_its_items(app):
    site_id = builders.site(app)
    need_id = builders.need(app, builders.category(app), site_id=site_id)
    with app.app_context():
        db.session.execute(db.delete(Site).where(Site.id == site_id))
        db.session.commit()

    assert builders.get(app, Need, need_id).site_id is None


def test_most_urgent_is_limited_and_only_urgent(app):
    clothes = builders.category(app)
    for number in range(8):
        builders.need(app, clothes, f"Urgent {number}", Urgency.urgent)
    builders.need(app, clothes, "Just needed", Urgency.needed)

    with app.app_context():
        most = Need.most_urgent(date.today(), limit=6)
        assert len(most) == 6
        assert all(need.urgency == Urgency.urgent for need in most)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 17), date(2026, 11, 27), "17–27 Nov"),
        (date(2026, 11, 28), date(2026, 12, 3), "28 Nov – 3 Dec"),
        (date(2026, 12, 28), date(2027, 1, 3), "28 Dec 2026 – 3 Jan 2027"),
        (date(2026, 11, 17), None, "from 17 Nov"),
        (None, date(2026, 11, 27), "until 27 Nov"),
        (None, None, ""),
    ],
)
def test_site_date_window_reads_as_people_write_it(start, end, expected):
    assert Site(open_from=start, open_until=end).date_window == expected


def test_sites_leave_the_public_list_after_their_window(app):
    today = date(2026, 11, 25)
    builders.site(app, "Open", open_until=today)
    builders.site(app, "Over", open_until=today - timedelta(days=1))

    with app.app_context():
        assert [site.name for site in Site.public_list(today)] == ["Open"]


def test_urgency_words_are_defined_once_with_labels():
    assert [urgency.label for urgency in Urgency] == ["Urgent", "Needed", "Plenty", "Do not send"]
    assert Urgency("do_not_send") is Urgency.do_not_send
