"""The route table: each rule's endpoint is the "<METHOD> <template>" label used for
call accounting, mapped to its handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Map, Rule

from . import (associations, crm_read, crm_remove, crm_search, crm_write, feeds, portal,
               property_create)
from .state import ENGAGEMENT_TYPES

__all__ = ["build_routes", "SEARCH_LABELS"]

_ID_NAME = {"contacts": "contactId", "emails": "emailId", "calls": "callId",
            "meetings": "meetingId", "notes": "noteId", "tasks": "taskId"}


def _crm(object_type: str) -> list[tuple[str, str, Callable[..., Any]]]:
    base = f"/crm/v3/objects/{object_type}"
    one = f"{base}/{{{_ID_NAME[object_type]}}}"
    ot = object_type
    routes = [
        ("GET", base, lambda c: crm_read.list_objects(c, ot)),
        ("GET", one, lambda c, object_id: crm_read.get_object(c, ot, object_id)),
        ("POST", f"{base}/batch/read", lambda c: crm_read.batch_read(c, ot)),
        ("POST", f"{base}/search", lambda c: crm_search.search(c, ot)),
    ]
    if object_type == "contacts":
        routes += [
            ("POST", base, crm_write.create),
            ("PATCH", one, lambda c, object_id: crm_write.update(c, object_id)),
            ("DELETE", one, lambda c, object_id: crm_remove.archive(c, object_id)),
            ("POST", f"{base}/batch/create", crm_write.batch_create),
            ("POST", f"{base}/batch/update", crm_write.batch_update),
            ("POST", f"{base}/batch/upsert", crm_write.batch_upsert),
            ("POST", f"{base}/batch/archive", crm_remove.batch_archive),
            ("POST", f"{base}/merge", crm_remove.merge),
            ("POST", f"{base}/gdpr-delete", crm_remove.gdpr_delete),
        ]
    return routes


def _other() -> list[tuple[str, str, Callable[..., Any]]]:
    return [
        ("GET", "/crm/v3/properties/{objectType}", lambda c, objectType: portal.list_properties(c, objectType)),
        ("POST", "/crm/v3/properties/{objectType}",
         lambda c, objectType: property_create.create_property(c, objectType)),
        ("GET", "/crm/v3/properties/{objectType}/{propertyName}",
         lambda c, objectType, propertyName: portal.get_property(c, objectType, propertyName)),
        ("GET", "/crm/v3/owners", portal.list_owners),
        ("GET", "/crm/v3/owners/{ownerId}", lambda c, ownerId: portal.get_owner(c, ownerId)),
        ("GET", "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}",
         lambda c, objectType, objectId, toObjectType: associations.associations(c, objectType, objectId, toObjectType)),
        ("POST", "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read",
         lambda c, fromObjectType, toObjectType: associations.batch_associations(c, fromObjectType, toObjectType)),
        ("GET", "/events/v3/events", feeds.list_events),
        ("GET", "/email/public/v1/events", feeds.email_events),
        ("GET", "/marketing/v3/forms", portal.list_forms),
        ("GET", "/form-integrations/v1/submissions/forms/{formGuid}",
         lambda c, formGuid: portal.form_submissions(c, formGuid)),
    ]


def _werkzeug_path(template: str) -> str:
    # "{contactId}" is the spec's spelling; the handlers of single objects take "object_id".
    out = template
    for name in _ID_NAME.values():
        out = out.replace("{" + name + "}", "<object_id>")
    return out.replace("{", "<").replace("}", ">")


def build_routes() -> tuple[Map, dict[str, Callable[..., Any]]]:
    """The werkzeug Map (endpoint = accounting label) and the handler of each label."""
    rules, handlers = [], {}
    for method, template, handler in [r for t in ("contacts", *ENGAGEMENT_TYPES)
                                      for r in _crm(t)] + _other():
        label = f"{method} {template}"
        rules.append(Rule(_werkzeug_path(template), endpoint=label, methods=[method]))
        handlers[label] = handler
    return Map(rules, strict_slashes=False, merge_slashes=False), handlers


SEARCH_LABELS = frozenset(f"POST /crm/v3/objects/{t}/search" for t in ("contacts", *ENGAGEMENT_TYPES))
