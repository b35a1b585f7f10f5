"""Demo content in the spirit of a Calais solidarity group, for trying the site out.

Loading adds only what is missing (matched by slug or name), so it is safe to
run twice and never overwrites what organisers changed.
"""

from datetime import timedelta

from sqlalchemy import select

from app.dates import local_today
from app.extensions import db
from app.models import (
    Category,
    Danger,
    Need,
    Page,
    Place,
    Post,
    Route,
    Settings,
    Site,
    SiteKind,
    Stage,
    Urgency,
)
from app.models.types import utcnow

U = Urgency
D = Danger

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

# name: (country, latitude, longitude)
PLACES = {
    "Kabul": ("Afghanistan", 34.53, 69.17),
    "Herat": ("Afghanistan", 34.35, 62.20),
    "Tehran": ("Iran", 35.69, 51.39),
    "Urmia": ("Iran", 37.55, 45.08),
    "Van": ("Türkiye", 38.49, 43.38),
    "Istanbul": ("Türkiye", 41.01, 28.98),
    "Izmir": ("Türkiye", 38.42, 27.14),
    "Lesbos": ("Greece", 39.11, 26.55),
    "Athens": ("Greece", 37.98, 23.73),
    "Thessaloniki": ("Greece", 40.64, 22.94),
    "Belgrade": ("Serbia", 44.79, 20.45),
    "Bihać": ("Bosnia and Herzegovina", 44.82, 15.87),
    "Trieste": ("Italy", 45.65, 13.78),
    "El Fasher": ("Sudan (Darfur)", 13.63, 25.35),
    "Kufra": ("Libya", 24.18, 23.29),
    "Tripoli": ("Libya", 32.89, 13.19),
    "Lampedusa": ("Italy", 35.50, 12.60),
    "Rome": ("Italy", 41.90, 12.50),
    "Ventimiglia": ("Italy", 43.79, 7.61),
    "Paris": ("France", 48.86, 2.35),
    "Calais": ("France", 50.95, 1.86),
    "Dover": ("United Kingdom", 51.13, 1.31),
}

ROUTES_INTRO = """\
For each person who reaches the north of France there are hundreds more strung out along the
routes behind them, back to the war zones of Afghanistan and Darfur. People cross deserts,
mountains and the Mediterranean, pass through detention centres, and meet border guards and
police at every frontier of "Fortress Europe".

These are the journeys the people we meet in Calais describe to us. The map shows the main
stages; each route has its own page with the dangers on each stage.
"""

# slug, name (IOM Missing Migrants Project route names), colour, summary, stages:
# (from, to, how people travel, dangers, narrative)
ROUTES = [
    (
        "afghanistan-to-iran",
        "Afghanistan to Iran",
        "#7b3294",
        "Out of Afghanistan on foot and by car, across the border into Iran.",
        [
            (
                "Kabul",
                "Herat",
                "by bus and car",
                [D.armed_forces],
                "People leave a country at war, often with nothing arranged beyond the next stage.",
            ),
            (
                "Herat",
                "Tehran",
                "on foot and hidden in cars",
                [D.mountains, D.armed_forces, D.smugglers],
                "The border is crossed at night, on foot, guided by smugglers. People are shot at by "
                "border guards, and some are sent back again and again.",
            ),
        ],
    ),
    (
        "iran-to-turkiye",
        "Iran to Türkiye",
        "#c2185b",
        "Across the mountains between Iran and Türkiye, where people get lost and are shot at.",
        [
            ("Tehran", "Urmia", "by bus and car", [D.smugglers], ""),
            (
                "Urmia",
                "Van",
                "on foot over the mountains",
                [D.mountains, D.cold, D.armed_forces, D.pushbacks],
                "The crossing is made on foot through high mountains, in all seasons. People get lost, "
                "freeze, and are killed by border guards; many are pushed back.",
            ),
            (
                "Van",
                "Istanbul",
                "hidden in lorries and buses",
                [D.police_violence, D.detention],
                "",
            ),
        ],
    ),
    (
        "eastern-mediterranean",
        "Eastern Mediterranean",
        "#1f78b4",
        "From the Turkish coast to the Greek islands in small boats, then on to Athens.",
        [
            ("Istanbul", "Izmir", "by bus", [D.smugglers], ""),
            (
                "Izmir",
                "Lesbos",
                "in small, overcrowded boats",
                [D.drowning, D.pushbacks],
                "A short crossing that too many do not survive. Boats are stopped and pushed back "
                "towards Türkiye.",
            ),
            (
                "Lesbos",
                "Athens",
                "by ferry, after the camps",
                [D.detention],
                "People are held in camps on the islands, sometimes for a very long time.",
            ),
        ],
    ),
    (
        "western-balkans",
        "Western Balkans",
        "#33a02c",
        "North through the Balkans on foot, through forests, rivers and violent pushbacks.",
        [
            ("Athens", "Thessaloniki", "by train and bus", [D.police_violence], ""),
            ("Thessaloniki", "Belgrade", "on foot", [D.pushbacks, D.police_violence, D.cold], ""),
            ("Belgrade", "Bihać", "on foot and by bus", [D.cold, D.smugglers], ""),
            (
                "Bihać",
                "Trieste",
                "on foot through the mountains",
                [D.mountains, D.pushbacks, D.police_violence, D.cold],
                "People try “the game” again and again: walking for days through forests and "
                "mountains, beaten and sent back at the border, and trying once more.",
            ),
        ],
    ),
    (
        "sahara-desert-crossing",
        "Sahara Desert crossing",
        "#e66101",
        "From Darfur across the desert into Libya.",
        [
            (
                "El Fasher",
                "Kufra",
                "on the backs of trucks across the desert",
                [D.desert, D.smugglers, D.armed_forces],
                "Days in the open desert, where a breakdown or a smuggler's choice can leave people "
                "to die of thirst.",
            ),
            (
                "Kufra",
                "Tripoli",
                "by truck",
                [D.detention, D.armed_forces, D.smugglers],
                "In Libya people are held in grim detention centres and by armed groups, and forced "
                "to work or pay to be released.",
            ),
        ],
    ),
    (
        "central-mediterranean",
        "Central Mediterranean",
        "#2c7fb8",
        "From Libya across the Central Mediterranean to Lampedusa and Italy.",
        [
            (
                "Tripoli",
                "Lampedusa",
                "in unseaworthy boats",
                [D.drowning, D.armed_forces, D.detention],
                "The deadliest sea crossing. Boats sink, and people intercepted at sea are taken back "
                "to detention in Libya.",
            ),
            ("Lampedusa", "Rome", "by ferry and train", [D.detention], ""),
        ],
    ),
    (
        "italy-to-france",
        "Italy to France",
        "#b15928",
        "From Italy over the border into France, along the coast or through the Alps.",
        [
            ("Rome", "Ventimiglia", "by train", [D.police_violence], ""),
            (
                "Ventimiglia",
                "Paris",
                "on foot over the mountains, then by train",
                [D.mountains, D.pushbacks, D.police_violence],
                "",
            ),
        ],
    ),
    (
        "english-channel-to-the-uk",
        "English Channel to the UK",
        "#b3261e",
        "From Paris to Calais, and the last crossing to the UK in lorries or small boats.",
        [
            ("Paris", "Calais", "by train and on foot", [D.police_violence], ""),
            (
                "Calais",
                "Dover",
                "hidden in lorries, or in small boats",
                [D.drowning, D.cold, D.police_violence],
                "In Calais people sleep outside in all weathers. Police clear their tents and take "
                "their belongings, again and again. The crossing itself is made hidden in lorries or "
                "in small boats on one of the world's busiest seaways.",
            ),
        ],
    ),
]

# slug, title, menu position, description, Markdown body
PAGES = [
    (
        "about",
        "About us",
        3,
        "Who we are and what we do at the UK border in Calais.",
        """\
We are volunteers supporting people stranded at the UK border in Calais. Every day we hand out
warm, dry clothes, sleeping bags, tents and first aid, and we keep a safe space open where people
can rest, charge their phones and get information.

We are not a charity with an office: everything we do depends on donations and on the people who
come over to help. [See what we need now](/needs).
""",
    ),
    (
        "get-involved",
        "Get involved",
        1,
        "Come to Calais for a few days: what it is like, what to bring, how to keep people safe.",
        """\
## Come over for a few days

Get some mates together and plan a few days over here. **February or March is as valuable as
next week**: people are here all year, and winter is long.

## What a few days look like

Mornings sorting donations in the warehouse; afternoons and evenings handing out clothes,
sleeping bags and food, charging phones, and spending time with people. *(Organisers: add your
own schedule and meeting point here.)*

## What to bring

Clothes for the weather, waterproofs, sturdy shoes, a sleeping bag if you are staying with us,
and a phone with a way to charge it.

## Keeping people safe

Never take photos of people, their faces, their tents or anything that identifies them, and
never post where people are staying. Ask before you write about anyone, and change the details.

## How to arrange it

Email us with your dates and how many of you are coming. *(Organisers: add contact details.)*
""",
    ),
    (
        "contact",
        "Contact",
        4,
        "How to reach us about donations, volunteering and the press.",
        """\
Email is best; we answer as soon as we can. Please tell us what you want to bring and when, or
the dates you would like to come and help. *(Organisers: add the group's addresses here.)*
""",
    ),
]

# slug, title, summary, author, days ago, Markdown body
POSTS = [
    (
        "a-week-with-calais-migrant-solidarity",
        "A week in Calais: report-back from South Wales",
        "A group from South Wales has just returned from a week with Calais Migrant Solidarity.",
        "Rhiannon",
        2,
        """\
A group of us from South Wales has just returned from a week with Calais Migrant Solidarity.
We sorted donations in the mornings and spent the afternoons and evenings handing out warm
clothes and sleeping bags.

What struck us most was how quickly tents and sleeping bags disappear: the police take them,
and people start again from nothing. [Sleeping bags are on the list](/needs) for a reason.

If you are thinking of coming: just come. Bring waterproofs.
""",
    ),
    (
        "winter-is-coming",
        "Winter is coming",
        "Nights are below freezing. What we need most, and why.",
        "The warehouse team",
        9,
        """\
Nights have dropped below freezing. People who sleep outside need dry clothes every day, because
wet clothes never dry in a tent.

Please check [what we need now](/needs) before you send anything, and please **don't send**
what is on the "do not send" list: sorting and disposing of it takes volunteers away from
handing things out.
""",
    ),
]

SETTINGS = {
    "group_name": "Calais Solidarity Needs",
    "tagline": (
        "Warm, dry clothes, sleeping gear and first aid for people stranded at the UK border."
    ),
    "donate_line": "£10 buys a new sleeping bag; £3 buys a pair of new socks and a hat.",
    "routes_intro": ROUTES_INTRO,
    # Placeholders that show where the group's own details go.
    "contact_email": "contact@example.org",
    "donate_url": "https://example.org/donate",
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

    added += load_demo_routes()
    added += load_demo_writing()

    settings = db.session.get(Settings, Settings.current().id)
    if settings is None:
        settings = Settings.current()
        db.session.add(settings)
    defaults = Settings.defaults()
    for field, value in SETTINGS.items():
        # Fill only what nobody has set yet; never overwrite organisers' words.
        if getattr(settings, field) in ("", getattr(defaults, field)):
            setattr(settings, field, value)
            added += 1
    return added


def load_demo_routes() -> int:
    """Add the demo places and routes that are missing (matched by name and slug)."""
    added = 0
    places = {place.name: place for place in db.session.scalars(select(Place))}
    for name, (country, latitude, longitude) in PLACES.items():
        if name not in places:
            places[name] = Place(name=name, country=country, latitude=latitude, longitude=longitude)
            db.session.add(places[name])
            added += 1

    slugs = set(db.session.scalars(select(Route.slug)))
    for position, (slug, name, colour, summary, stages) in enumerate(ROUTES):
        if slug in slugs:
            continue
        route = Route(
            slug=slug,
            name=name,
            colour=colour,
            summary=summary,
            position=position,
            is_published=True,
        )
        for number, (start, end, travel, dangers, narrative) in enumerate(stages):
            route.stages.append(
                Stage(
                    from_place=places[start],
                    to_place=places[end],
                    travel=travel,
                    dangers=[danger.value for danger in dangers],
                    narrative=narrative,
                    position=number,
                )
            )
        db.session.add(route)
        added += 1
    return added


def load_demo_writing() -> int:
    """Add the demo pages and report-backs that are missing (matched by slug)."""
    added = 0
    page_slugs = set(db.session.scalars(select(Page.slug)))
    for slug, title, nav_position, description, body in PAGES:
        if slug not in page_slugs:
            db.session.add(
                Page(
                    slug=slug,
                    title=title,
                    nav_position=nav_position,
                    description=description,
                    body=body,
                    is_published=True,
                )
            )
            added += 1
    post_slugs = set(db.session.scalars(select(Post.slug)))
    for slug, title, summary, author, days_ago, body in POSTS:
        if slug not in post_slugs:
            db.session.add(
                Post(
                    slug=slug,
                    title=title,
                    summary=summary,
                    author_name=author,
                    body=body,
                    published_at=utcnow() - timedelta(days=days_ago),
                )
            )
            added += 1
    return added
