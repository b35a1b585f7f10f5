"""Demo content in the spirit of a Calais solidarity group, for trying the site out.

Loading adds only what is missing (matched by slug or name), so it is safe to
run twice and never overwrites what organisers changed.
"""

from datetime import timedelta

from sqlalchemy import select

from app.dates import local_today
from app.extensions import db
from app.models import Category, Need, Settings, Site, SiteKind, Urgency

U = Urgency

CATEGORIES = [
    ("warm-dry-clothes", "Warm, dry clothes", "Men’s sizes unless we say otherwise."),
    ("sleeping-shelter", "Sleeping and shelter", "People sleep outside in all weathers."),
    ("first-aid-hygiene", "First aid and hygiene", "Sealed, in date, travel sizes."),
    ("phones-power", "Phones and power", "Staying in touch keeps people safe."),
    ("food-kitchen", "Food and kitchen", "For the community kitchen."),
]

# category slug, name, details, quantity, unit, urgency
NEEDS = [
    (
        "warm-dry-clothes",
        "Waterproof jackets",
        "Men’s S and M. Hoods please.",
        60,
        "jackets",
        U.urgent,
    ),
    (
        "warm-dry-clothes",
        "Tracksuit bottoms",
        "Men’s S and M, dark colours. No jeans.",
        80,
        "pairs",
        U.urgent,
    ),
    ("warm-dry-clothes", "Socks", "New only, adult sizes.", 300, "pairs", U.urgent),
    ("warm-dry-clothes", "Boxer shorts", "New only, men’s S and M.", 200, "", U.needed),
    (
        "warm-dry-clothes",
        "Walking boots and trainers",
        "Sizes 40–43, good condition.",
        None,
        "",
        U.needed,
    ),
    ("warm-dry-clothes", "Hats, gloves and scarves", "Dark colours.", None, "", U.needed),
    ("warm-dry-clothes", "Women’s and children’s clothes", "", None, "", U.plenty),
    (
        "sleeping-shelter",
        "Sleeping bags",
        "Good condition, washed, 3-season or warmer.",
        100,
        "bags",
        U.needed,
    ),
    (
        "sleeping-shelter",
        "Tents",
        "2–3 person, all poles and pegs, dark colours.",
        40,
        "tents",
        U.needed,
    ),
    ("sleeping-shelter", "Tarpaulins", "At least 3 × 4 m.", None, "", U.needed),
    ("sleeping-shelter", "Blankets", "", None, "", U.plenty),
    ("first-aid-hygiene", "Foil emergency blankets", "", 200, "", U.urgent),
    ("first-aid-hygiene", "Plasters and blister packs", "Sealed and in date.", None, "", U.needed),
    ("first-aid-hygiene", "Toothbrushes and toothpaste", "New, sealed.", None, "", U.needed),
    ("first-aid-hygiene", "Razors and shower gel", "Travel sizes.", None, "", U.needed),
    ("phones-power", "Power banks", "Charged, with cables.", 50, "", U.needed),
    ("phones-power", "Phone chargers", "USB-C and micro-USB.", None, "", U.needed),
    ("food-kitchen", "Rice, lentils and chickpeas", "Dry, sealed, in date.", None, "", U.needed),
    ("warm-dry-clothes", "Suits and formal wear", "", None, "", U.do_not_send),
    ("warm-dry-clothes", "High heels", "", None, "", U.do_not_send),
    ("warm-dry-clothes", "Wedding dresses", "", None, "", U.do_not_send),
    ("warm-dry-clothes", "Used underwear", "", None, "", U.do_not_send),
    ("warm-dry-clothes", "Jeans", "Heavy, slow to dry and cold when wet.", None, "", U.do_not_send),
]

SETTINGS = {
    "group_name": "Calais Solidarity Needs",
    "tagline": (
        "Warm, dry clothes, sleeping gear and first aid for people stranded at the UK border."
    ),
    "donate_line": "£10 buys a new sleeping bag; £3 buys a pair of new socks and a hat.",
}


def demo_sites() -> list[dict]:
    today = local_today()
    return [
        {
            "name": "UK collection, church hall",
            "kind": SiteKind.collection,
            "address": "Exact address sent when you book.",
            "opening_hours": "Saturdays 10:00–14:00",
            "open_from": today - timedelta(days=3),
            "open_until": today + timedelta(days=7),
            "booking_rule": "Tell us what you are bringing and when, before you come.",
            "notes": "Van leaves for Calais the day after collection closes.",
            "position": 1,
        },
        {
            "name": "Calais warehouse",
            "kind": SiteKind.warehouse,
            "address": "Calais, France. Exact address sent when you book.",
            "opening_hours": "Monday to Friday 10:00–17:00",
            "booking_rule": "Email us at least two days ahead with what you bring and when.",
            "ship_to": "Sorted bags and boxes only, labelled with what is inside and the sizes.",
            "position": 2,
        },
    ]


def database_has_content() -> bool:
    return db.session.scalar(select(Category.id).limit(1)) is not None


def load_demo_content() -> int:
    added = 0
    categories = {category.slug: category for category in db.session.scalars(select(Category))}
    for position, (slug, name, description) in enumerate(CATEGORIES):
        if slug not in categories:
            categories[slug] = Category(
                slug=slug, name=name, description=description, position=position
            )
            db.session.add(categories[slug])
            added += 1

    existing = {(need.category.slug, need.name) for need in db.session.scalars(select(Need))}
    for position, (slug, name, details, quantity, unit, urgency) in enumerate(NEEDS):
        if (slug, name) not in existing:
            db.session.add(
                Need(
                    category=categories[slug],
                    name=name,
                    details=details,
                    quantity=quantity,
                    unit=unit,
                    urgency=urgency,
                    position=position,
                )
            )
            added += 1

    site_names = set(db.session.scalars(select(Site.name)))
    for fields in demo_sites():
        if fields["name"] not in site_names:
            db.session.add(Site(**fields))
            added += 1

    settings = db.session.get(Settings, Settings.current().id)
    if settings is None:
        settings = Settings.current()
        db.session.add(settings)
    if not settings.tagline:  # still the defaults: nobody has set the group up yet
        for field, value in SETTINGS.items():
            setattr(settings, field, value)
        added += 1
    return added
