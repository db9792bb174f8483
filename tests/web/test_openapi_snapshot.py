"""The dashboard's API types are generated from web/openapi.json; this fails when that copy is stale.

The other half (schema.d.ts generated from this file) is checked by web/src/api/schema.test.ts. Fix either with
``make api-types`` and commit the result (docs/dashboard.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import openapi_document

pytestmark = pytest.mark.unit

SNAPSHOT = Path(__file__).resolve().parents[2] / "web" / "openapi.json"


def test_committed_openapi_document_matches_the_backend() -> None:
    committed = json.loads(SNAPSHOT.read_text())
    assert committed == json.loads(json.dumps(openapi_document())), (
        "web/openapi.json differs from the backend's OpenAPI document: run `make api-types` and commit the "
        "regenerated web/openapi.json and web/src/api/schema.d.ts"
    )
