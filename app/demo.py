"""Demo content in the spirit of a Calais solidarity group, for trying the site out.

Loading adds only what is missing (matched by slug or name), so it is safe to
run twice and never overwrites what organisers changed.
"""

import re
from datetime import timedelta

from sqlalchemy import select

from app.dates import local_today
from app.extensions import db
from app.models import (
    Category,
    Danger,
    Figure,
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
        "jacket | jackets",
        U.urgent,
    ),
    (
        "warm-dry-clothes",
        "Tracksuit bottoms",
        "Men’s S and M, dark colours. No jeans.",
        80,
        "pair | pairs",
        U.urgent,
    ),
    ("warm-dry-clothes", "Socks", "New only, adult sizes.", 300, "pair | pairs", U.urgent),
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
        "bag | bags",
        U.needed,
    ),
    (
        "sleeping-shelter",
        "Tents",
        "2–3 person, all poles and pegs, dark colours.",
        40,
        "tent | tents",
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

# slug, name (IOM Missing Migrants Project route names), colour (from the palette, app/maps.py),
# summary, stages:
# (from, to, how people travel, dangers, narrative)
ROUTES = [
    (
        "afghanistan-to-iran",
        "Afghanistan to Iran",
        "#cc79a7",
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
        "#e69f00",
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
        "#0072b2",
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
        "#009e73",
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
        "#f0e442",
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
        "#56b4e9",
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
        "#000000",
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
        "#d55e00",
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

# Published figures for the demo routes, each as its source gives it (never estimated): the
# period it covers, "at least" where the source counts a minimum, and the source's own words
# (`quote`, for whoever checks the number; not shown). Added to the route named by its slug,
# matched by route and label, so loading twice adds nothing twice.
FIGURES = [
    {
        "route": "english-channel-to-the-uk",
        "label": "people crossed the Channel to the UK in small boats",
        "value": 36816,
        "unit": "",
        "period": "2024",
        "is_minimum": False,
        "source_name": "UK Home Office figures, reported by The Independent",
        "source_url": "https://www.independent.co.uk/news/uk/english-channel-home-office-iran-vietnamese-albania-b2672362.html",
        "quote": "A total of 36,816 people were detected crossing the Channel in small boats during 2024, according to provisional figures from the Home Office.",
    },
    {
        "route": "english-channel-to-the-uk",
        "label": "people arrived in the UK irregularly, 84% of them in small boats",
        "value": 43630,
        "unit": "",
        "period": "2024",
        "is_minimum": False,
        "source_name": "UK Home Office, Immigration system statistics",
        "source_url": "https://www.gov.uk/government/statistics/immigration-system-statistics-year-ending-december-2024/how-many-people-come-to-the-uk-irregularly",
        "quote": "In 2024, there were 43,630 detected irregular arrivals, 19% more than in 2023, and 84% of these arrived on small boats.",
    },
    {
        "route": "english-channel-to-the-uk",
        "label": "people died trying to cross the Channel to the UK",
        "value": 69,
        "unit": "",
        "period": "2024",
        "is_minimum": True,
        "source_name": "Refugee Council",
        "source_url": "https://refugeecouncil.org.uk/latest/news/refugee-council-calls-for-decisive-action-as-record-number-of-channel-deaths-reached-in-2024",
        "quote": "At least 69 men, women and children lost their lives attempting to reach the UK over the course of the year – more than the total between 2019 and 2023.",
    },
    {
        "route": "central-mediterranean",
        "label": "people arrived in Italy by sea",
        "value": 66317,
        "unit": "",
        "period": "2024",
        "is_minimum": False,
        "source_name": "Italian Ministry of the Interior, via Portale Integrazione Migranti",
        "source_url": "https://integrazionemigranti.gov.it/it-it/Ricerca-news/Dettaglio-news/id/4095",
        "quote": "secondo i dati del Cruscotto statistico giornaliero del Viminale, nel 2024 sono arrivati complessivamente sulle nostre coste 66.317 persone., con un calo del 58% rispetto al 2023.",
    },
    {
        "route": "central-mediterranean",
        "label": "people died on the Central Mediterranean route, leaving from Libya",
        "value": 665,
        "unit": "",
        "period": "2024",
        "is_minimum": True,
        "source_name": "IOM Libya, reported by the Libya Herald",
        "source_url": "https://libyaherald.com/?p=150003",
        "quote": "In comparison, in 2024, 21,762 were intercepted and returned to Libya with 665 deaths and 1,034 reported as missing.",
    },
    {
        "route": "central-mediterranean",
        "label": "people went missing on the Central Mediterranean route, leaving from Libya",
        "value": 1034,
        "unit": "",
        "period": "2024",
        "is_minimum": True,
        "source_name": "IOM Libya, reported by the Libya Herald",
        "source_url": "https://libyaherald.com/?p=150003",
        "quote": "In comparison, in 2024, 21,762 were intercepted and returned to Libya with 665 deaths and 1,034 reported as missing.",
    },
    {
        "route": "central-mediterranean",
        "label": "people were intercepted at sea and returned to Libya",
        "value": 21762,
        "unit": "",
        "period": "2024",
        "is_minimum": False,
        "source_name": "IOM Libya, reported by the Libya Herald",
        "source_url": "https://libyaherald.com/?p=150003",
        "quote": "In comparison, in 2024, 21,762 were intercepted and returned to Libya with 665 deaths and 1,034 reported as missing.",
    },
    {
        "route": "central-mediterranean",
        "label": "people died in the Mediterranean Sea, on all its routes",
        "value": 2452,
        "unit": "",
        "period": "2024",
        "is_minimum": True,
        "source_name": "IOM Missing Migrants Project, reported by Agence Europe",
        "source_url": "https://agenceurope.eu/en/bulletin/article/13605/25/with-8938-people-dying-on-migration-routes-worldwide-2024-was-deadliest-year-on-record-according-to-iom",
        "quote": "2,452 deaths were documented in the Mediterranean Sea in 2024, according to the IOM.",
    },
    {
        "route": "eastern-mediterranean",
        "label": "people arrived in Greece by sea",
        "value": 41561,
        "unit": "",
        "period": "2023",
        "is_minimum": False,
        "source_name": "UNHCR, reported by Kathimerini",
        "source_url": "https://www.ekathimerini.com/news/1231659/40-migrants-found-on-gavdos-beach/",
        "quote": "In 2023, 41,561 individuals arrived in Greece by sea, a significant increase from the 12,758 recorded in 2022, as reported by UNHCR, the UN refugee agency.",
    },
    {
        "route": "western-balkans",
        "label": "people died on the Western Balkans route",
        "value": 400,
        "unit": "",
        "period": "2014 to 2025",
        "is_minimum": True,
        "source_name": "IOM, in Forced Migration Review",
        "source_url": "https://www.fmreview.org/ar/dangerous-journeys/lungarotti-durocher",
        "quote": "At least 400 migrants have died while travelling the Western Balkans route since 2014, with road accidents, drownings and violence the top three causes of death.",
    },
    {
        "route": "afghanistan-to-iran",
        "label": "Afghans died on migration routes, on every route they take",
        "value": 5046,
        "unit": "",
        "period": "2014 to 2025",
        "is_minimum": True,
        "source_name": "IOM, reported by KabulNow",
        "source_url": "https://kabulnow.com/2025/04/over-5000-afghans-died-on-migration-routes-since-2014-iom-reports/",
        "quote": "At least 5,046 Afghan citizens have died on migration routes since 2014, including thousands who perished while fleeing the country after the Taliban’s return to power in 2021, according to a new report by IOM.",
    },
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

# The page "What you can do" links to for volunteering (Settings.volunteer_page).
VOLUNTEER_PAGE = "get-involved"
# The group's own place, named first on the routes maps (Settings.home_place).
HOME_PLACE = "Calais"

SETTINGS = {
    "group_name": "Calais Solidarity Needs",
    "tagline": (
        "Warm, dry clothes, sleeping gear and first aid for people stranded at the UK border."
    ),
    "donate_line": "£10 buys a new sleeping bag; £3 buys a pair of new socks and a hat.",
    "routes_intro": ROUTES_INTRO,
    # Ready for when the warehouse is full (the pause is not switched on).
    "pause_message": (
        "Our storage is full: please hold on to your donations until we say we can take them again."
    ),
    # Placeholders that show where the group's own details go.
    "contact_email": "contact@example.org",
    "donate_url": "https://example.org/donate",
}

# French: each demo text's translation, keyed by the English original. A record gets the
# French of the texts it still holds as the demo wrote them (an organiser's own words are
# never given a demo translation), and only where it has no French yet. One report-back
# ("a-week-with-calais-migrant-solidarity", by a group from Wales) stays in English only:
# the French news list shows it with a note that it is in English.
FRENCH = {
    # Categories
    "Warm, dry clothes": "Vêtements chauds et secs",
    "Men’s sizes unless we say otherwise.": "Tailles homme, sauf mention contraire.",
    "Sleeping and shelter": "Couchage et abri",
    "People sleep outside in all weathers.": "Les personnes exilées dorment dehors par tous les temps.",
    "First aid and hygiene": "Premiers soins et hygiène",
    "Sealed, in date, travel sizes.": "Emballés, non périmés, en format voyage.",
    "Phones and power": "Téléphones et recharge",
    "Staying in touch keeps people safe.": "Pouvoir joindre ses proches, c’est aussi se protéger.",
    "Food and kitchen": "Alimentation et cuisine",
    "For the community kitchen.": "Pour la cuisine collective.",
    # Needs: names, details and units ("singular | plural")
    "Waterproof jackets": "Vestes imperméables",
    "Men’s S and M. Hoods please.": "Homme, tailles S et M. Avec capuche de préférence.",
    "jacket | jackets": "veste | vestes",
    "Tracksuit bottoms": "Pantalons de survêtement",
    "Men’s S and M, dark colours. No jeans.": "Homme, S et M, couleurs sombres. Pas de jeans.",
    "pair | pairs": "paire | paires",
    "Socks": "Chaussettes",
    "New only, adult sizes.": "Neuves uniquement, tailles adulte.",
    "Boxer shorts": "Caleçons et boxers",
    "New only, men’s S and M.": "Neufs uniquement, homme S et M.",
    "Walking boots and trainers": "Chaussures de marche et baskets",
    "Sizes 40–43, good condition.": "Pointures 40 à 43, en bon état.",
    "Hats, gloves and scarves": "Bonnets, gants et écharpes",
    "Dark colours.": "Couleurs sombres.",
    "Women’s and children’s clothes": "Vêtements femme et enfant",
    "Sleeping bags": "Sacs de couchage",
    "Good condition, washed, 3-season or warmer.": "En bon état, lavés, trois saisons ou plus chauds.",
    "bag | bags": "sac | sacs",
    "Tents": "Tentes",
    "2–3 person, all poles and pegs, dark colours.": (
        "2 ou 3 places, complètes (arceaux et sardines), couleurs sombres."
    ),
    "tent | tents": "tente | tentes",
    "Tarpaulins": "Bâches",
    "At least 3 × 4 m.": "3 × 4 m minimum.",
    "Blankets": "Couvertures",
    "Foil emergency blankets": "Couvertures de survie",
    "Plasters and blister packs": "Pansements, y compris pour ampoules",
    "Sealed and in date.": "Emballés et non périmés.",
    "Toothbrushes and toothpaste": "Brosses à dents et dentifrice",
    "New, sealed.": "Neufs, sous emballage.",
    "Razors and shower gel": "Rasoirs et gel douche",
    "Travel sizes.": "Format voyage.",
    "Power banks": "Batteries externes",
    "Charged, with cables.": "Chargées, avec leurs câbles.",
    "Phone chargers": "Chargeurs de téléphone",
    "USB-C and micro-USB.": "USB-C et micro-USB.",
    "Rice, lentils and chickpeas": "Riz, lentilles et pois chiches",
    "Dry, sealed, in date.": "Secs, fermés, non périmés.",
    "Suits and formal wear": "Costumes et tenues habillées",
    "High heels": "Chaussures à talons",
    "Wedding dresses": "Robes de mariée",
    "Used underwear": "Sous-vêtements usagés",
    "Jeans": "Jeans",
    "Heavy, slow to dry and cold when wet.": "Lourds, longs à sécher et glacés une fois mouillés.",
    # Sites
    "UK collection, church hall": "Collecte au Royaume-Uni, salle paroissiale",
    "Exact address sent when you book.": "Adresse exacte envoyée à la réservation.",
    "Saturdays 10:00–14:00": "Le samedi de 10 h à 14 h",
    "Tell us what you are bringing and when, before you come.": (
        "Dites-nous avant de venir ce que vous apportez, et quand."
    ),
    "Van leaves for Calais the day after collection closes.": (
        "La camionnette part pour Calais le lendemain de la fin de la collecte."
    ),
    "Calais warehouse": "Entrepôt de Calais",
    "Calais, France. Exact address sent when you book.": (
        "Calais. Adresse exacte envoyée à la réservation."
    ),
    "Monday to Friday 10:00–17:00": "Du lundi au vendredi de 10 h à 17 h",
    "Email us at least two days ahead with what you bring and when.": (
        "Écrivez-nous au moins deux jours avant, en précisant ce que vous apportez et quand."
    ),
    "Sorted bags and boxes only, labelled with what is inside and the sizes.": (
        "Uniquement des sacs et cartons triés, étiquetés avec leur contenu et les tailles."
    ),
}

FRENCH_PLACES = {
    "Kabul": "Kaboul",
    "Herat": "Hérat",
    "Tehran": "Téhéran",
    "Urmia": "Ourmia",
    "Van": "Van",
    "Istanbul": "Istanbul",
    "Izmir": "Izmir",
    "Lesbos": "Lesbos",
    "Athens": "Athènes",
    "Thessaloniki": "Thessalonique",
    "Belgrade": "Belgrade",
    "Bihać": "Bihać",
    "Trieste": "Trieste",
    "El Fasher": "El Fasher",
    "Kufra": "Koufra",
    "Tripoli": "Tripoli",
    "Lampedusa": "Lampedusa",
    "Rome": "Rome",
    "Ventimiglia": "Vintimille",
    "Paris": "Paris",
    "Calais": "Calais",
    "Dover": "Douvres",
    "Afghanistan": "Afghanistan",
    "Iran": "Iran",
    "Türkiye": "Turquie",
    "Greece": "Grèce",
    "Serbia": "Serbie",
    "Bosnia and Herzegovina": "Bosnie-Herzégovine",
    "Italy": "Italie",
    "Sudan (Darfur)": "Soudan (Darfour)",
    "Libya": "Libye",
    "France": "France",
    "United Kingdom": "Royaume-Uni",
}

FRENCH_ROUTES = {
    "Afghanistan to Iran": "De l’Afghanistan à l’Iran",
    "Out of Afghanistan on foot and by car, across the border into Iran.": (
        "Quitter l’Afghanistan à pied et en voiture, puis passer la frontière iranienne."
    ),
    "by bus and car": "en bus et en voiture",
    "People leave a country at war, often with nothing arranged beyond the next stage.": (
        "On quitte un pays en guerre, souvent sans rien de prévu au-delà de l’étape suivante."
    ),
    "on foot and hidden in cars": "à pied et cachés dans des voitures",
    "The border is crossed at night, on foot, guided by smugglers. People are shot at by "
    "border guards, and some are sent back again and again.": (
        "La frontière se passe de nuit, à pied, avec des passeurs. Les gardes-frontières "
        "tirent sur les gens, et certains sont refoulés encore et encore."
    ),
    "Iran to Türkiye": "De l’Iran à la Turquie",
    "Across the mountains between Iran and Türkiye, where people get lost and are shot at.": (
        "À travers les montagnes entre l’Iran et la Turquie, où l’on se perd et où l’on "
        "se fait tirer dessus."
    ),
    "on foot over the mountains": "à pied par les montagnes",
    "The crossing is made on foot through high mountains, in all seasons. People get lost, "
    "freeze, and are killed by border guards; many are pushed back.": (
        "La traversée se fait à pied par la haute montagne, en toute saison. Des gens se "
        "perdent, meurent de froid ou sont tués par les gardes-frontières ; beaucoup sont "
        "refoulés."
    ),
    "hidden in lorries and buses": "cachés dans des camions et des bus",
    "Eastern Mediterranean": "Méditerranée orientale",
    "From the Turkish coast to the Greek islands in small boats, then on to Athens.": (
        "De la côte turque aux îles grecques en petites embarcations, puis jusqu’à Athènes."
    ),
    "by bus": "en bus",
    "in small, overcrowded boats": "dans de petits bateaux surchargés",
    "A short crossing that too many do not survive. Boats are stopped and pushed back "
    "towards Türkiye.": (
        "Une traversée courte, à laquelle trop de gens ne survivent pas. Les bateaux sont "
        "interceptés et repoussés vers la Turquie."
    ),
    "by ferry, after the camps": "en ferry, après les camps",
    "People are held in camps on the islands, sometimes for a very long time.": (
        "Les gens sont retenus dans des camps sur les îles, parfois très longtemps."
    ),
    "Western Balkans": "Balkans occidentaux",
    "North through the Balkans on foot, through forests, rivers and violent pushbacks.": (
        "Vers le nord à pied à travers les Balkans : forêts, rivières et refoulements violents."
    ),
    "by train and bus": "en train et en bus",
    "on foot": "à pied",
    "on foot and by bus": "à pied et en bus",
    "on foot through the mountains": "à pied par les montagnes",
    "People try “the game” again and again: walking for days through forests and "
    "mountains, beaten and sent back at the border, and trying once more.": (
        "Les gens tentent « le game » encore et encore : des jours de marche dans les forêts "
        "et les montagnes, les coups et le refoulement à la frontière, puis un nouvel essai."
    ),
    "Sahara Desert crossing": "Traversée du Sahara",
    "From Darfur across the desert into Libya.": "Du Darfour à la Libye, à travers le désert.",
    "on the backs of trucks across the desert": "à l’arrière de camions, à travers le désert",
    "Days in the open desert, where a breakdown or a smuggler's choice can leave people "
    "to die of thirst.": (
        "Des jours en plein désert, où une panne ou la décision d’un passeur peut laisser "
        "des gens mourir de soif."
    ),
    "by truck": "en camion",
    "In Libya people are held in grim detention centres and by armed groups, and forced "
    "to work or pay to be released.": (
        "En Libye, les gens sont enfermés dans des centres de détention sordides ou par des "
        "groupes armés, et forcés de travailler ou de payer pour être libérés."
    ),
    "Central Mediterranean": "Méditerranée centrale",
    "From Libya across the Central Mediterranean to Lampedusa and Italy.": (
        "De la Libye à Lampedusa et à l’Italie, à travers la Méditerranée centrale."
    ),
    "in unseaworthy boats": "dans des bateaux hors d’état de naviguer",
    "The deadliest sea crossing. Boats sink, and people intercepted at sea are taken back "
    "to detention in Libya.": (
        "La traversée maritime la plus meurtrière. Des bateaux coulent, et les personnes "
        "interceptées en mer sont ramenées en détention en Libye."
    ),
    "by ferry and train": "en ferry et en train",
    "Italy to France": "De l’Italie à la France",
    "From Italy over the border into France, along the coast or through the Alps.": (
        "De l’Italie à la France, par la côte ou à travers les Alpes."
    ),
    "by train": "en train",
    "on foot over the mountains, then by train": "à pied par la montagne, puis en train",
    "English Channel to the UK": "La Manche, vers le Royaume-Uni",
    "From Paris to Calais, and the last crossing to the UK in lorries or small boats.": (
        "De Paris à Calais, puis la dernière traversée vers le Royaume-Uni, en camion ou "
        "en small boat."
    ),
    "by train and on foot": "en train et à pied",
    "hidden in lorries, or in small boats": "cachés dans des camions, ou en small boat",
    "In Calais people sleep outside in all weathers. Police clear their tents and take "
    "their belongings, again and again. The crossing itself is made hidden in lorries or "
    "in small boats on one of the world's busiest seaways.": (
        "À Calais, les gens dorment dehors par tous les temps. La police démonte leurs tentes "
        "et confisque leurs affaires, encore et encore. La traversée se fait caché dans un "
        "camion ou en small boat, sur l’une des voies maritimes les plus fréquentées du monde."
    ),
}

FRENCH_FIGURES = {
    "people crossed the Channel to the UK in small boats": (
        "personnes ont traversé la Manche vers le Royaume-Uni en small boat"
    ),
    "people arrived in the UK irregularly, 84% of them in small boats": (
        "personnes sont arrivées au Royaume-Uni de manière irrégulière, dont 84\u202f% en "
        "small boat"
    ),
    "people died trying to cross the Channel to the UK": (
        "personnes sont mortes en tentant de traverser la Manche vers le Royaume-Uni"
    ),
    "people arrived in Italy by sea": "personnes sont arrivées en Italie par la mer",
    "people died on the Central Mediterranean route, leaving from Libya": (
        "personnes sont mortes sur la route de la Méditerranée centrale, au départ de la Libye"
    ),
    "people went missing on the Central Mediterranean route, leaving from Libya": (
        "personnes ont disparu sur la route de la Méditerranée centrale, au départ de la Libye"
    ),
    "people were intercepted at sea and returned to Libya": (
        "personnes ont été interceptées en mer et renvoyées en Libye"
    ),
    "people died in the Mediterranean Sea, on all its routes": (
        "personnes sont mortes en Méditerranée, toutes routes confondues"
    ),
    "people arrived in Greece by sea": "personnes sont arrivées en Grèce par la mer",
    "people died on the Western Balkans route": (
        "personnes sont mortes sur la route des Balkans occidentaux"
    ),
    "Afghans died on migration routes, on every route they take": (
        "Afghans sont morts sur les routes migratoires, toutes routes confondues"
    ),
    # Sources
    "UK Home Office figures, reported by The Independent": (
        "Chiffres du ministère de l’Intérieur britannique, cités par The Independent"
    ),
    "UK Home Office, Immigration system statistics": (
        "Ministère de l’Intérieur britannique, statistiques de l’immigration"
    ),
    "Refugee Council": "Refugee Council",
    "Italian Ministry of the Interior, via Portale Integrazione Migranti": (
        "Ministère italien de l’Intérieur, via le Portale Integrazione Migranti"
    ),
    "IOM Libya, reported by the Libya Herald": "OIM Libye, cité par le Libya Herald",
    "IOM Missing Migrants Project, reported by Agence Europe": (
        "Projet Migrants disparus de l’OIM, cité par Agence Europe"
    ),
    "UNHCR, reported by Kathimerini": "HCR, cité par Kathimerini",
    "IOM, in Forced Migration Review": "OIM, dans Forced Migration Review",
    "IOM, reported by KabulNow": "OIM, cité par KabulNow",
    # Periods
    "2023": "2023",
    "2024": "2024",
    "2014 to 2025": "de 2014 à 2025",
}

ROUTES_INTRO_FR = """\
Pour chaque personne qui arrive dans le nord de la France, des centaines d’autres sont encore
en chemin derrière elle, jusqu’aux zones de guerre d’Afghanistan et du Darfour. On traverse
des déserts, des montagnes et la Méditerranée, on passe par des centres de détention, et à
chaque frontière de la « forteresse Europe » on se heurte aux gardes-frontières et à la police.

Ce sont les parcours que nous racontent les personnes que nous rencontrons à Calais. La carte
en montre les principales étapes ; chaque route a sa page, avec les dangers de chaque étape.
"""

FRENCH_WRITING = {
    # Settings
    "Warm, dry clothes, sleeping gear and first aid for people stranded at the UK border.": (
        "Vêtements chauds et secs, couchage et premiers soins pour les personnes bloquées à "
        "la frontière britannique."
    ),
    "£10 buys a new sleeping bag; £3 buys a pair of new socks and a hat.": (
        "Avec 10 £ (environ 12 €), on achète un sac de couchage neuf ; avec 3 £, une paire de "
        "chaussettes neuves et un bonnet."
    ),
    "Our storage is full: please hold on to your donations until we say we can take them again.": (
        "Notre entrepôt est plein : merci de garder vos dons jusqu’à ce que nous puissions "
        "de nouveau les recevoir."
    ),
    ROUTES_INTRO: ROUTES_INTRO_FR,
    # Pages
    "About us": "Qui sommes-nous",
    "Who we are and what we do at the UK border in Calais.": (
        "Qui nous sommes et ce que nous faisons à la frontière britannique, à Calais."
    ),
    PAGES[0][4]: """\
Nous sommes des bénévoles qui soutiennent les personnes bloquées à la frontière britannique, à
Calais. Chaque jour, nous distribuons des vêtements chauds et secs, des sacs de couchage, des
tentes et des premiers soins, et nous tenons un lieu d’accueil où l’on peut se reposer,
recharger son téléphone et s’informer.

Nous ne sommes pas une grosse association avec des bureaux : tout ce que nous faisons repose
sur les dons et sur les personnes qui viennent nous prêter main-forte.
[Voir ce dont nous avons besoin](/fr/needs).
""",
    "Get involved": "Nous rejoindre",
    "Come to Calais for a few days: what it is like, what to bring, how to keep people safe.": (
        "Venir quelques jours à Calais : comment ça se passe, quoi apporter, comment "
        "protéger les personnes."
    ),
    PAGES[1][4]: """\
## Venez quelques jours

Réunissez quelques amis et prévoyez quelques jours ici. **Février ou mars, c’est aussi utile
que la semaine prochaine** : les gens sont là toute l’année, et l’hiver est long.

## À quoi ressemblent ces quelques jours

Le matin, tri des dons à l’entrepôt ; l’après-midi et le soir, distribution de vêtements, de
sacs de couchage et de repas, recharge des téléphones, et du temps passé avec les gens.
*(Organisateurs : ajoutez ici votre planning et votre point de rendez-vous.)*

## Quoi apporter

Des vêtements adaptés à la météo, de quoi vous protéger de la pluie, de bonnes chaussures, un
sac de couchage si vous logez avec nous, et un téléphone avec de quoi le recharger.

## Protéger les personnes

Ne prenez jamais en photo les personnes, leurs visages, leurs tentes ni rien qui permette de
les reconnaître, et ne publiez jamais l’endroit où elles vivent. Demandez avant d’écrire sur
quelqu’un, et changez les détails.

## Comment s’organiser

Écrivez-nous en indiquant vos dates et combien vous serez. *(Organisateurs : ajoutez vos
coordonnées.)*
""",
    "Contact": "Contact",
    "How to reach us about donations, volunteering and the press.": (
        "Nous joindre pour les dons, le bénévolat ou la presse."
    ),
    PAGES[2][4]: """\
Le plus simple est de nous écrire ; nous répondons dès que possible. Dites-nous ce que vous
voulez apporter et quand, ou les dates auxquelles vous aimeriez venir aider.
*(Organisateurs : ajoutez ici les adresses du groupe.)*
""",
    # Report-backs (the first, from a group in Wales, stays in English only)
    "Winter is coming": "L’hiver arrive",
    "Nights are below freezing. What we need most, and why.": (
        "Il gèle la nuit. Ce dont nous avons le plus besoin, et pourquoi."
    ),
    POSTS[1][5]: """\
Les nuits sont passées sous zéro. Les personnes qui dorment dehors ont besoin de vêtements
secs tous les jours, parce que des vêtements mouillés ne sèchent jamais sous une tente.

Avant d’envoyer quoi que ce soit, regardez [ce dont nous avons besoin](/fr/needs), et merci de
**ne pas envoyer** ce qui figure dans la liste « à ne pas envoyer » : le trier et s’en
débarrasser prend du temps aux bénévoles, qui ne sont alors plus en distribution.
""",
}

# French typography: a narrow no-break space before ; ! ? and inside « », a no-break
# space before a colon (only where the text has a space: "https://" and "?page=2" stay).
FRENCH_SPACES = (
    (re.compile(r" ([;!?])"), "\u202f\\1"),
    (re.compile(r"« "), "«\u202f"),
    (re.compile(r" »"), "\u202f»"),
    (re.compile(r" :"), "\u00a0:"),
)


def french_typography(text: str) -> str:
    """The spaces French typography puts around punctuation: "Nous joindre\u00a0: ici\u202f!"."""
    for pattern, replacement in FRENCH_SPACES:
        text = pattern.sub(replacement, text)
    return text


DEMO_FRENCH = {
    english: french_typography(french)
    for english, french in {
        **FRENCH,
        **FRENCH_PLACES,
        **FRENCH_ROUTES,
        **FRENCH_FIGURES,
        **FRENCH_WRITING,
    }.items()
}
TRANSLATED_DEMO_MODELS = (Category, Need, Site, Place, Route, Stage, Figure, Page, Post, Settings)


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
    if settings.volunteer_page_id is None:
        settings.volunteer_page = db.session.scalar(select(Page).where(Page.slug == VOLUNTEER_PAGE))
        added += settings.volunteer_page is not None
    if settings.home_place_id is None:
        settings.home_place = db.session.scalar(
            select(Place).where(Place.name == HOME_PLACE).order_by(Place.id).limit(1)
        )
        added += settings.home_place is not None
    return added + add_french()


def add_french() -> int:
    """Give every demo text still as the demo wrote it its French, where it has none yet
    (a database loaded before the demo spoke French gets it too); how many records got some."""
    db.session.flush()
    translated = 0
    for model in TRANSLATED_DEMO_MODELS:
        for record in db.session.scalars(select(model)):
            fields = [
                field
                for field in record.TRANSLATED
                if DEMO_FRENCH.get(getattr(record, field) or "")
                and not record.translation("fr", field)
            ]
            for field in fields:
                record.set_translation("fr", field, DEMO_FRENCH[getattr(record, field)])
            translated += bool(fields)
    return translated


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
    return added + load_demo_figures()


def load_demo_figures() -> int:
    """Add the demo figures that are missing (matched by route and label) to their routes."""
    added = 0
    routes = {route.slug: route for route in db.session.scalars(select(Route))}
    existing = {
        (figure.route.slug, figure.label)
        for figure in db.session.scalars(select(Figure).where(Figure.route_id.is_not(None)))
    }
    for position, figure in enumerate(FIGURES):
        route = routes.get(figure["route"])
        if route is None or (route.slug, figure["label"]) in existing:
            continue
        fields = {name: value for name, value in figure.items() if name not in ("route", "quote")}
        route.figures.append(Figure(**fields, position=position))
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
