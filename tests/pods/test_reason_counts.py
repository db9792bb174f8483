"""``GET /api/pods/reasons``: records per failure reason in one list, for the dashboard's filter chips."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from quart.typing import TestClientProtocol

from tests.pods.conftest import Reporter

UserClient = Callable[..., Awaitable[TestClientProtocol]]


async def test_counts_follow_the_list_and_the_namespace(report: Reporter, user_client: UserClient) -> None:
    for pod, namespace, reason in [("a", "shop", "CrashLoopBackOff"), ("b", "shop", "CrashLoopBackOff"),
                                   ("c", "shop", "OOMKilled"), ("d", "web", "ImagePullBackOff"),
                                   ("e", "web", "CrashLoopBackOff")]:
        assert (await report(pod=pod, namespace=namespace, failure_reason=reason)).status_code == 200
    writer = await user_client("write")
    assert (await writer.put("/api/pods/5/status", json={"status": "resolved"})).status_code == 200

    active = await writer.get("/api/pods/reasons")
    assert active.status_code == 200
    assert await active.get_json() == [{"reason": "CrashLoopBackOff", "count": 2},
                                       {"reason": "ImagePullBackOff", "count": 1},
                                       {"reason": "OOMKilled", "count": 1}]
    shop = await writer.get("/api/pods/reasons?list=failed&namespace=shop")
    assert await shop.get_json() == [{"reason": "CrashLoopBackOff", "count": 2}, {"reason": "OOMKilled", "count": 1}]
    history = await writer.get("/api/pods/reasons?list=history")
    assert await history.get_json() == [{"reason": "CrashLoopBackOff", "count": 1}]
    assert await (await writer.get("/api/pods/reasons?list=ignored")).get_json() == []


async def test_unknown_list_is_a_422(user_client: UserClient) -> None:
    reader = await user_client("read")
    response = await reader.get("/api/pods/reasons?list=everything")
    assert response.status_code == 422
    assert (await response.get_json())["detail"][0]["loc"] == ["query", "list"]
