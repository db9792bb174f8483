"""The pod access and impact routes and the incident's summaries over HTTP (docs/api.md#pod-access-and-impact), with the
"pay" fixture in the real Neo4j; every answer is validated against the response model the OpenAPI document shows."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from mongomock_motor import AsyncMongoMockClient
from pydantic import ConfigDict
from quart.typing import TestClientProtocol

from app.core.clock import ManualClock, utcnow
from app.factory import create_app
from app.schemas.insight import PodAccess, PodImpact
from app.schemas.mirror import Preview
from app.schemas.pods import PodFailure as DocumentedPodFailure
from app.settings import Settings
from app.simulator.kubeapi import FakeKubeApi
from storage.mongo import MongoHandle
from tests.conftest import PASSWORD, SERVICE_HEADERS
from tests.graph.conftest import FIXTURES, NEO4J_URI, load_graph

pytestmark = pytest.mark.integration

UserClient = Callable[[str], Awaitable[TestClientProtocol]]
X1 = "checkout-6f7d8-x1"
GRAPH_DOWN = {"detail": "Graph database not available"}


class PodFailure(DocumentedPodFailure):
    """The documented record, refusing keys the document does not list (the insight models already do)."""

    model_config = ConfigDict(extra="forbid")


@pytest.fixture
def mongo() -> MongoHandle:
    client: AsyncMongoMockClient = AsyncMongoMockClient(tz_aware=True)
    return MongoHandle(client=client, db=client[f"kure_{uuid.uuid4().hex[:8]}"], embedded=True)


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], fake_kube: FakeKubeApi, tmp_path: Path) -> Settings:
    path = fake_kube.write_kubeconfig(tmp_path / "kubeconfig")
    return settings_factory(kure_kubernetes="auto", kubeconfig=str(path), kure_graph_watcher=False, neo4j_uri=NEO4J_URI)


@pytest.fixture
async def reader(neo4j_driver: Any, fake_kube: FakeKubeApi, user_client: UserClient) -> TestClientProtocol:
    await load_graph(neo4j_driver, "pay")
    fake_kube.load_fixture(FIXTURES / "pay")
    return await user_client("read")


async def get(client: TestClientProtocol, path: str) -> tuple[int, Any]:
    response = await client.get(path)
    return response.status_code, json.loads(await response.get_data(as_text=True))


async def report(client: TestClientProtocol, namespace: str, pod_name: str) -> int:
    response = await client.post("/api/pods/failed", headers=SERVICE_HEADERS, json={
        "pod_name": pod_name, "namespace": namespace, "failure_reason": "CrashLoopBackOff",
        "failure_message": "back-off restarting failed container",
    })  # fmt: skip
    assert response.status_code == 200
    record_id: int = (await response.get_json())["id"]
    return record_id


async def test_access_and_impact_routes_answer_what_the_openapi_document_says(reader: TestClientProtocol) -> None:
    status, access = await get(reader, f"/api/pods/pay/{X1}/access")
    assert status == 200
    PodAccess.model_validate(access)  # every key documented, none missing
    assert access["pod"] == {"namespace": "pay", "name": X1, "service_account": "checkout", "node": "node-a"}
    assert [a["action"] for a in access["actions"]][:7] == [
        "exec", "attach", "debug", "port-forward", "logs", "delete", "patch",
    ]  # fmt: skip
    status, impact = await get(reader, f"/api/pods/pay/{X1}/impact")
    assert status == 200
    PodImpact.model_validate(impact)
    assert impact["summary"]["services"][0] == {
        "name": "checkout", "state": "down", "ready_endpoints": 0, "endpoints": 2, "exposed": True,
    }  # fmt: skip

    document = await (await reader.get("/openapi.json")).get_json()

    def answer_schema(path: str) -> dict[str, Any]:
        content = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        schema: dict[str, Any] = content["schema"]
        if "$ref" in schema:  # a named component schema
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    for route, model in (("access", PodAccess), ("impact", PodImpact)):
        schema = answer_schema(f"/api/pods/{{namespace}}/{{pod_name}}/{route}")
        assert set(schema["required"]) == set(schema["properties"]) == set(model.model_fields)
        assert schema["additionalProperties"] is False
    failure = answer_schema("/api/pods/failed/{pod_id}")
    assert {"access", "impact"} <= set(failure["required"])
    assert failure["properties"]["impact"]["anyOf"][0]["$ref"].endswith("/ImpactSummary")


async def test_route_errors(reader: TestClientProtocol, client: TestClientProtocol) -> None:
    assert (await client.get(f"/api/pods/pay/{X1}/access")).status_code == 401
    for route in ("access", "impact"):
        assert await get(reader, f"/api/pods/pay/nope/{route}") == (
            404, {"detail": "Pod 'nope' not found in namespace 'pay'"},
        )  # fmt: skip
        assert await get(reader, f"/api/pods/elsewhere/{X1}/{route}") == (
            404, {"detail": f"Pod '{X1}' not found in namespace 'elsewhere'"},
        )  # fmt: skip


async def test_the_incident_carries_both_summaries(reader: TestClientProtocol, client: TestClientProtocol) -> None:
    record_id = await report(client, "pay", X1)
    status, record = await get(reader, f"/api/pods/failed/{record_id}")
    assert status == 200
    PodFailure.model_validate(record)
    assert record["impact"]["state"] == "down"
    assert record["impact"]["controller"] == {"kind": "Deployment", "name": "checkout", "desired": 3, "ready": 0}
    assert record["access"]["by_action"]["exec"] == 5
    # A pod the graph does not hold (gone since, or never synced): the record without summaries.
    gone = await report(client, "pay", "checkout-6f7d8-gone")
    status, record = await get(reader, f"/api/pods/failed/{gone}")
    assert status == 200 and record["access"] is None and record["impact"] is None


@pytest.fixture
async def graphless(
    settings_factory: Callable[..., Settings], mongo: MongoHandle, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[TestClientProtocol, TestClientProtocol]]:
    """An app whose Neo4j is unreachable (or, with the parameter None, not configured): a reader and an agent."""
    settings = settings_factory(neo4j_uri=request.param, kure_graph_query_timeout=2, kure_graph_summary_timeout=1)
    application = create_app(settings, clock=ManualClock(utcnow()), mongo=mongo)
    async with application.test_app():
        state = application.extensions["kure"]
        await state.auth.create_user("reader", PASSWORD, "read")
        reader = application.test_client()
        await reader.post("/api/auth/login", json={"username": "reader", "password": PASSWORD})
        yield reader, application.test_client()


@pytest.mark.parametrize("graphless", ["bolt://127.0.0.1:1", None], indirect=True)
async def test_without_a_graph_routes_are_503_and_the_incident_has_null_summaries(
    graphless: tuple[TestClientProtocol, TestClientProtocol],
) -> None:
    reader, agent = graphless
    for route in ("access", "impact"):
        started = time.monotonic()
        assert await get(reader, f"/api/pods/pay/{X1}/{route}") == (503, GRAPH_DOWN)
        assert time.monotonic() - started < 5  # bounded by the query timeout, not the driver's retries
    record_id = await report(agent, "pay", X1)
    started = time.monotonic()
    status, record = await get(reader, f"/api/pods/failed/{record_id}")
    assert time.monotonic() - started < 3  # bounded by the summary budget (1 s here)
    assert status == 200 and record["access"] is None and record["impact"] is None
    PodFailure.model_validate(record)
    started = time.monotonic()
    assert (await get(reader, f"/api/pods/failed/{record_id}"))[1]["impact"] is None
    assert time.monotonic() - started < 0.5  # right after a failure the graph is not asked again for a moment


async def test_the_ai_prompt_carries_the_impact_summary_and_nothing_of_secrets(
    reader: TestClientProtocol, client: TestClientProtocol, user_client: UserClient, state: Any
) -> None:
    from tests.fakes.openai_server import FakeOpenAI, Reply

    admin = await user_client("admin")
    async with FakeOpenAI(default=Reply.text("## Root Cause\nThe checkout Service has 0 ready endpoints.")) as fake:
        await admin.post("/api/admin/llm/config", json={
            "provider": "openai_compatible", "api_key": "sk-test-0123456789abcd", "model": "m",
            "base_url": fake.base_url,
        })  # fmt: skip
        for pod in (X1, "not-in-the-graph"):
            await report(client, "pay", pod)
            await state.tasks.drain()
            await state.ai.scheduler.drain()
        with_graph, without_graph = (r.prompt_text for r in fake.chat_requests)
        await state.llm.aclose()
    assert "Cluster impact (from Kure's cluster graph" in with_graph
    assert "- Controller: Deployment checkout — 0 of 3 replicas ready (down)" in with_graph
    assert "- Service checkout, exposed outside the cluster: 0 of 2 endpoints ready (down)" in with_graph
    assert "- Ingress storefront (pay.example.com) routes to these Services" in with_graph
    assert "- ServiceAccount checkout (token mounted): may create pods, may read Secrets" in with_graph
    # The graph knows the Secret checkout-db only by name; not even the name reaches the provider.
    assert "checkout-db" not in with_graph
    assert "Cluster impact (from" not in without_graph


async def test_the_mirror_preview_says_what_the_mirror_changes(
    reader: TestClientProtocol, client: TestClientProtocol, user_client: UserClient
) -> None:
    writer = await user_client("write")
    record_id = await report(client, "pay", "ledger-0")
    response = await writer.post(f"/api/mirror/preview/{record_id}")
    assert response.status_code == 200
    body = await response.get_json()
    Preview.model_validate(body)  # the delta's models refuse undocumented keys
    delta = body["delta"]
    # No LLM here: the proposal is the source itself, so the gate refuses nothing and the mirror changes nothing ...
    assert (delta["refused"], delta["changes"]) == ([], [])
    # ... but its labels are the mirror's own: it leaves its Service and the policy that isolates its egress.
    blast = delta["blast_radius"]
    assert (blast["services_left"], blast["network_policies_left"], blast["network_policies_kept"]) == (
        ["ledger"], ["ledger-only"], ["default-deny"],
    )  # fmt: skip
    assert blast["egress_isolated"] == {"source": True, "mirror": False}
    assert blast["controllers_left"] == [{"kind": "StatefulSet", "name": "ledger"}]
    assert delta["can_do_more"] == [
        "egress traffic: the source is isolated by NetworkPolicies that select it by label (ledger-only); the "
        "mirror's labels are not selected by any egress policy"
    ]
