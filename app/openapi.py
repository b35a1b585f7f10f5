"""The OpenAPI 3.1 document of the open-data API (app/public/api.py), at /api/v1/openapi.json.

One document for every language: its `servers` list the API once per language
(SITE_URL/api/v1, SITE_URL/fr/api/v1), which answer the same paths with texts in that
language. Written for developers, in English; tests/test_api.py validates it and checks
real responses against it.
"""

from flask import current_app

from app.languages import language_name
from app.models import Danger, SiteKind, Urgency
from app.models.content import NEWS_PER_PAGE
from app.numbers import LARGEST_INTEGER

NULLABLE_STRING = {"type": ["string", "null"]}
TIME = {"type": "string", "format": "date-time", "description": "ISO 8601, with the offset"}
NULLABLE_TIME = {**TIME, "type": ["string", "null"]}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
URL = {"type": "string", "format": "uri"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def record(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }
    return {"description": description, **schema} if description else schema


def listing(item: str, description: str, **extra) -> dict:
    language = {"type": "string", "description": "The language of the texts (the server's)"}
    return record(
        {"language": language, **extra, "items": {"type": "array", "items": ref(item)}},
        description,
    )


SCHEMAS = {
    "Error": record({"error": {"type": "string", "description": "What was wrong, in words"}}),
    "Category": record(
        {"id": {"type": "integer"}, "slug": {"type": "string"}, "name": {"type": "string"}}
    ),
    "Quantity": record(
        {
            "wanted": {"type": "integer", "minimum": 1},
            "received": {"type": "integer", "minimum": 0},
            "still_missing": {"type": "integer", "minimum": 0},
            "unit": {"type": "string", "description": "In the form for `wanted`; may be empty"},
        },
        "How many are wanted, when the group knows",
    ),
    "SiteReference": record({"id": {"type": "integer"}, "name": {"type": "string"}}),
    "Need": record(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "category": ref("Category"),
            "urgency": {"type": "string", "enum": [urgency.value for urgency in Urgency]},
            "urgency_label": {"type": "string"},
            "details": {"type": "string"},
            "quantity": {"oneOf": [ref("Quantity"), {"type": "null"}]},
            "needed_until": NULLABLE_DATE,
            "site": {"oneOf": [ref("SiteReference"), {"type": "null"}]},
            "checked_at": {**TIME, "description": "When an organiser last confirmed it"},
            "updated_at": TIME,
        },
        "An item on the needs board",
    ),
    "NeedsList": listing(
        "Need",
        "The needs board in the order /needs shows it: urgent, needed, plenty, do not send; "
        "by category within each",
        checked_at=NULLABLE_TIME,
        donations_paused={"type": "boolean"},
        url={**URL, "description": "The list as a page"},
    ),
    "Site": record(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": [kind.value for kind in SiteKind]},
            "kind_label": {"type": "string"},
            "open_from": NULLABLE_DATE,
            "open_until": NULLABLE_DATE,
            "address": {"type": "string"},
            "opening_hours": {"type": "string"},
            "booking_rule": {"type": "string"},
            "ship_to": {"type": "string"},
            "notes": {"type": "string"},
        },
        "A place where donations go",
    ),
    "SitesList": listing("Site", "Open drop-off and collection points, in the site's order"),
    "Post": record(
        {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "author": {"type": "string"},
            "published_at": TIME,
            "updated_at": TIME,
            "url": {**URL, "description": "The report-back's page"},
        },
        "A report-back",
    ),
    "NewsPage": listing(
        "Post",
        f"Report-backs, newest first, {NEWS_PER_PAGE} a page as on /news",
        page={"type": "integer", "minimum": 1},
        pages={"type": "integer", "minimum": 0},
        per_page={"type": "integer"},
        total={"type": "integer", "minimum": 0},
        next={**URL, "type": ["string", "null"]},
        previous={**URL, "type": ["string", "null"]},
    ),
    "Place": record(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "country": {"type": "string"},
            "latitude": {"type": "number", "minimum": -90, "maximum": 90},
            "longitude": {"type": "number", "minimum": -180, "maximum": 180},
        }
    ),
    "Figure": record(
        {
            "id": {"type": "integer"},
            "label": {"type": "string"},
            "value": {"type": "integer"},
            "unit": {"type": "string"},
            "period": {"type": "string"},
            "is_minimum": {"type": "boolean", "description": "At least this many"},
            "source": record(
                {
                    "name": {
                        "type": "string",
                        "description": "Who published the number, in the texts' language",
                    },
                    "url": URL,
                }
            ),
        },
        "A number with its source",
    ),
    "Danger": record(
        {
            "value": {"type": "string", "enum": [danger.value for danger in Danger]},
            "label": {"type": "string"},
        }
    ),
    "Stage": record(
        {
            "id": {"type": "integer"},
            "from": ref("Place"),
            "to": ref("Place"),
            "travel": {"type": "string"},
            "dangers": {"type": "array", "items": ref("Danger")},
            "narrative": {"type": "string"},
            "figures": {"type": "array", "items": ref("Figure")},
        }
    ),
    "Route": record(
        {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "summary": {"type": "string"},
            "colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
            "url": {**URL, "description": "The route's page"},
            "figures": {"type": "array", "items": ref("Figure")},
            "stages": {"type": "array", "items": ref("Stage")},
        }
    ),
    "RoutesList": listing("Route", "Published routes, in the site's order"),
    "Settings": record(
        {
            "language": {"type": "string"},
            "group_name": {"type": "string"},
            "tagline": {"type": "string"},
            "contact_email": {"type": ["string", "null"], "format": "email"},
            "donations_paused": {"type": "boolean"},
            "pause_message": {"type": "string", "description": "Empty unless paused"},
            "donate_url": {**URL, "type": ["string", "null"]},
            "donate_line": {"type": "string"},
            "needs_url": URL,
        },
        "What donors need to know about the group",
    ),
}

CORS = {
    "Access-Control-Allow-Origin": {
        "description": "Always `*`: any site may read the API",
        "schema": {"type": "string", "const": "*"},
    }
}
CACHED = {
    **CORS,
    "ETag": {
        "description": "Send it back in If-None-Match for a 304",
        "schema": {"type": "string"},
    },
}


def error_response(description: str) -> dict:
    return {
        "description": description,
        "headers": CORS,
        "content": {"application/json": {"schema": ref("Error")}},
    }


RESPONSES = {
    "BadRequest": error_response("A parameter this address does not take, or a bad value"),
    "NotFound": error_response("No such address (or no such page of report-backs)"),
    "NotModified": {"description": "Unchanged since the ETag sent", "headers": CACHED},
}


def operation(operation_id: str, summary: str, schema: str, parameters=(), not_found=False):
    responses = {
        "200": {
            "description": summary,
            "headers": CACHED,
            "content": {"application/json": {"schema": ref(schema)}},
        },
        "304": {"$ref": "#/components/responses/NotModified"},
        "400": {"$ref": "#/components/responses/BadRequest"},
    }
    if not_found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": list(parameters),
            "responses": responses,
        }
    }


PARAMETERS = {
    "category": {
        "name": "category",
        "in": "query",
        "required": False,
        "description": "Only items of the category with this slug",
        "schema": {"type": "string"},
    },
    "urgency": {
        "name": "urgency",
        "in": "query",
        "required": False,
        "description": "Only items of this urgency",
        "schema": {"type": "string", "enum": [urgency.value for urgency in Urgency]},
    },
    "page": {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "Which page, from 1 (the default)",
        "schema": {"type": "integer", "minimum": 1, "maximum": LARGEST_INTEGER},
    },
}


def param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def openapi_document() -> dict:
    config = current_app.config
    site = config["SITE_URL"].rstrip("/")
    default = config["DEFAULT_LANGUAGE"]
    servers = [
        {
            "url": f"{site}{'' if language == default else '/' + language}/api/v1",
            "description": f"Texts in {language_name(language)} ({language})",
        }
        for language in config["LANGUAGES"]
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Needs Now open data",
            "version": "1",
            "description": (
                "What the group's public pages say, read-only, as JSON. Each server answers in "
                "its language: the same records, their texts translated where a translation "
                "exists (the original otherwise, as on the pages). Ids and slugs are stable; "
                "times are ISO 8601 with the group's offset. Errors are JSON, "
                '`{"error": "…"}`; a parameter an address does not take is a 400. Every '
                "response may be read from any origin."
            ),
        },
        "servers": servers,
        "paths": {
            "/needs": operation(
                "needs",
                "The needs board",
                "NeedsList",
                [param("category"), param("urgency")],
            ),
            "/sites": operation("sites", "Drop-off and collection points", "SitesList"),
            "/news": operation(
                "news", "Report-backs, a page at a time", "NewsPage", [param("page")], True
            ),
            "/routes": operation("routes", "Routes, their stages and figures", "RoutesList"),
            "/settings": operation("settings", "The group's settings", "Settings"),
            "/openapi.json": {
                **operation("openapi", "This document", "OpenAPIDocument"),
                "servers": servers[:1],
            },
        },
        "components": {
            "schemas": {**SCHEMAS, "OpenAPIDocument": {"type": "object"}},
            "responses": RESPONSES,
            "parameters": PARAMETERS,
        },
    }
