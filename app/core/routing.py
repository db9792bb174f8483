"""The methods a path allows, as the OpenAPI document lists them.

werkzeug's ``allowed_methods`` unites every rule whose pattern matches the path, so ``/api/mirror/active`` would
advertise ``DELETE`` (``/api/mirror/<mirror_id>`` matches it too, and answers 422) and
``/api/admin/settings/mirror-ttl`` would advertise ``POST`` (served by ``<key>``, answering 404). ``Allow`` names
the methods of the route template the path resolves to — static segments win, as in routing itself.
"""

from __future__ import annotations

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, MapAdapter


def allowed_methods(url_map: Map, adapter: MapAdapter) -> list[str]:
    candidates = list(adapter.allowed_methods())
    if not candidates:
        return []
    probe = "GET" if "GET" in candidates else candidates[0]
    try:
        rule, _ = adapter.match(method=probe, return_rule=True)
    except HTTPException:
        return sorted(candidates)
    methods: set[str] = set()
    for other in url_map.iter_rules():
        if other.rule == rule.rule and not other.websocket:
            methods |= set(other.methods or ())
    return sorted(methods)
