"""Who can act on a pod (docs/graph.md#who-can-act-on-a-pod), on the "pay" fixture cluster in the real Neo4j.

The oracle is a table written by hand from the Kubernetes RBAC documentation (and the Node authorizer's and the
privileged group's documented behaviour): for every identity and every request the access answer covers, whether
the API server allows it. The answer says who is allowed through subjects (users, groups, ServiceAccounts); an
identity is allowed by the answer when one of the subjects listed for that request stands for it. The comparison
must find no disagreement. The kubeapi tier asks the real API server the same questions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from app.services.insight import InsightService
from graph.authorize import (
    ALL_AUTHENTICATED,
    ALL_UNAUTHENTICATED,
    ANONYMOUS_USER,
    NODES_GROUP,
    SUPERUSER_GROUP,
    Identity,
    grant_covers,
    service_account_identity,
)
from tests.graph.conftest import load_graph

pytestmark = pytest.mark.integration

X1 = "checkout-6f7d8-x1"
EXEC, ATTACH, DEBUG = f"create pods/exec {X1}", f"create pods/attach {X1}", f"patch pods/ephemeralcontainers {X1}"
FORWARD, LOGS, DELETE = f"create pods/portforward {X1}", f"get pods/log {X1}", f"delete pods {X1}"
PATCH, UPDATE = f"patch pods {X1}", f"update pods {X1}"
RS_PATCH, RS_UPDATE = "patch apps/replicasets checkout-6f7d8", "update apps/replicasets checkout-6f7d8"
DEPLOY_PATCH, DEPLOY_UPDATE = "patch apps/deployments checkout", "update apps/deployments checkout"
SECRET_GET, SECRET_LIST, SECRET_WATCH = "get secrets checkout-db", "list secrets", "watch secrets"
CM_GET, CM_LIST, CM_WATCH = "get configmaps checkout-config", "list configmaps", "watch configmaps"
IMPERSONATE, TOKEN = "impersonate serviceaccounts checkout", "create serviceaccounts/token checkout"
CREATE = "create pods"

EVERY_REQUEST = {
    EXEC, ATTACH, DEBUG, FORWARD, LOGS, DELETE, PATCH, UPDATE, RS_PATCH, RS_UPDATE, DEPLOY_PATCH, DEPLOY_UPDATE,
    SECRET_GET, SECRET_LIST, SECRET_WATCH, CM_GET, CM_LIST, CM_WATCH, IMPERSONATE, TOKEN, CREATE,
}  # fmt: skip


def user(name: str, *groups: str) -> Identity:
    return Identity(name, (*groups, ALL_AUTHENTICATED))


def member_of(group: str) -> Identity:
    return Identity(f"kure-probe-{group}", (group, ALL_AUTHENTICATED))


def kubelet(node: str) -> Identity:
    return Identity(f"system:node:{node}", (NODES_GROUP, ALL_AUTHENTICATED))


# What each identity may do to pay/checkout-6f7d8-x1 and what it uses, beyond what every authenticated identity
# may (read the pod's logs: RoleBinding pay/everyone-logs). Each line follows from the binding of the same name
# in tests/fixtures/clusters/pay/30-rbac.yaml and the RBAC documentation's rules:
#  - a rule's resource "pods" is not "pods/exec"; "*" is every resource and subresource of its groups; "*/exec" is
#    the exec subresource of every resource; "pods/*" is no pattern;
#  - resourceNames only match requests naming an object: never create, list or watch;
#  - a ClusterRole bound by a RoleBinding grants only in the binding's namespace;
#  - ServiceAccount subjects default to the binding's namespace; a User named system:serviceaccount:<ns>:<name> is
#    that ServiceAccount; ServiceAccount tokens carry system:serviceaccounts, system:serviceaccounts:<ns> and
#    system:authenticated;
#  - a binding to a role that does not exist grants nothing; a non-resource URL grants nothing on objects;
#  - exec, attach and port-forward are authorized as "create" on their subresource, debug as "patch" on
#    pods/ephemeralcontainers, impersonating a ServiceAccount as "impersonate" on serviceaccounts with its name;
#  - system:masters is allowed everything before RBAC; the Node authorizer lets a kubelet get the Secrets and
#    ConfigMaps of pods bound to its node and request their ServiceAccounts' tokens, and every kubelet create and
#    delete pods.
EXPECTED: dict[Identity, set[str]] = {
    user("alice"): {EXEC},
    member_of("support"): {LOGS},
    user("mallory"): set(),  # her pod-deleter binding is a RoleBinding of namespace "other"
    member_of("sre"): {DELETE},
    user("wanda"): {DELETE, PATCH, UPDATE, CREATE},
    user("rita"): {LOGS, SECRET_GET, CM_GET},
    user("gary"): {DEPLOY_PATCH},
    user("eddie"): set(),  # apiGroups [extensions]
    user("xena"): {EXEC},
    user("pat"): set(),  # "pods/*"
    user("ina"): {EXEC},
    user("oscar"): set(),  # resourceNames [other]
    user("sam"): {SECRET_GET},  # resourceNames never match list and watch
    user("lou"): {SECRET_LIST},
    user("cora"): set(),  # a named create never applies
    member_of("system:serviceaccounts:pay"): {CM_GET},
    service_account_identity("ci", "deployer"): {DEPLOY_PATCH},
    service_account_identity("pay", "helper"): {DEPLOY_PATCH, CM_GET},
    service_account_identity("ci", "builder"): {EXEC},
    service_account_identity("pay", "checkout"): {SECRET_GET, SECRET_LIST, CREATE, CM_GET},
    service_account_identity("pay", "default"): {CM_GET},
    service_account_identity("other", "default"): set(),
    user("olga"): {EXEC, ATTACH},  # aggregated from pay-operator-exec
    user("gina"): set(),  # Role ghost does not exist
    member_of("ghosts"): set(),  # ClusterRole missing-cr does not exist
    user("ivan"): {IMPERSONATE},
    user("uma"): set(),  # users and groups, not serviceaccounts
    user("tom"): {TOKEN},
    user("nora"): set(),
    user("ursula"): {RS_UPDATE},
    user("dora"): {DEBUG},
    user("pete"): {FORWARD},
    user("gil"): set(),  # "get pods/portforward"
    user("greg"): set(),  # "get pods/exec"
    user("nobody"): set(),
    member_of(SUPERUSER_GROUP): set(EVERY_REQUEST),
    kubelet("node-a"): {SECRET_GET, CM_GET, TOKEN, CREATE, DELETE},  # x1 runs there
    kubelet("node-b"): {SECRET_GET, CM_GET, TOKEN, CREATE, DELETE},  # x2 (same Secret, ConfigMap and account)
    kubelet("node-c"): {CM_GET, CREATE, DELETE},  # ledger-0 reads the ConfigMap
    Identity(ANONYMOUS_USER, (ALL_UNAUTHENTICATED,)): set(),
    member_of(NODES_GROUP): set(),  # the Node authorizer only knows system:node:<name> users
}


def expected_allowed(identity: Identity) -> set[str]:
    allowed = set(EXPECTED[identity])
    if ALL_AUTHENTICATED in identity.groups:
        allowed.add(LOGS)
    return allowed


def requests_of(answer: dict[str, Any]) -> Iterable[tuple[dict[str, Any], dict[str, Any], str]]:
    for action in answer["actions"]:
        for request in action["requests"]:
            group = f"{request['api_group']}/" if request["api_group"] else ""
            named = f" {request['name']}" if request["name"] else ""
            yield action, request, f"{request['verb']} {group}{request['resource']}{named}"


def answer_allows(answer: dict[str, Any], action: dict[str, Any], request: dict[str, Any], identity: Identity) -> bool:
    """The answer allows the identity when a subject listed with a grant for this request stands for it."""
    return any(
        grant["verb"] == request["verb"]
        and grant_covers(s["kind"], s["name"], s["namespace"], answer["paths"][grant["path"]]["authorizer"], identity)
        for s in action["subjects"]
        for grant in s["grants"]
    )


def disagreements(answer: dict[str, Any], expected: dict[Identity, set[str]]) -> list[str]:
    found = []
    for action, request, key in requests_of(answer):
        for identity in expected:
            says, truth = answer_allows(answer, action, request, identity), key in expected_allowed(identity)
            if says != truth:
                found.append(f"{identity.user} {list(identity.groups)}: {key}: answer {says}, Kubernetes {truth}")
    return found


@pytest.fixture
async def access(neo4j_driver: Any) -> dict[str, Any]:
    await load_graph(neo4j_driver, "pay")
    result: dict[str, Any] = await InsightService(lambda: neo4j_driver).access("pay", X1)
    return result


async def test_every_answer_agrees_with_the_rbac_table(access: dict[str, Any]) -> None:
    assert {key for _, _, key in requests_of(access)} == EVERY_REQUEST
    assert disagreements(access, EXPECTED) == []


async def test_the_oracle_comparison_notices_a_wrong_answer(access: dict[str, Any]) -> None:
    # The comparison above could pass vacuously if the answer allowed nothing or everything: it does not.
    exec_case = next(a for a in access["actions"] if a["action"] == "exec")
    exec_case["subjects"] = [s for s in exec_case["subjects"] if s["name"] != "alice"]
    assert disagreements(access, EXPECTED) == [f"alice ['{ALL_AUTHENTICATED}']: {EXEC}: answer False, Kubernetes True"]


def subject(access: dict[str, Any], action: str, name: str, target: str | None = None) -> dict[str, Any]:
    case = next(a for a in access["actions"] if a["action"] == action and target in (None, a["target"]["name"]))
    found: dict[str, Any] = next(s for s in case["subjects"] if s["name"] == name)
    # Each grant with its path resolved, as a reader of the answer does.
    return {**found, "grants": [{**g, **access["paths"][g["path"]]} for g in found["grants"]]}


async def test_each_grant_names_its_binding_role_and_rule(access: dict[str, Any]) -> None:
    (grant,) = subject(access, "exec", "alice")["grants"]
    assert grant == {
        "verb": "create",
        "path": grant["path"],
        "wildcard": False,
        "authorizer": "RBAC",
        "binding": {"kind": "RoleBinding", "namespace": "pay", "name": "alice-exec"},
        "role": {"kind": "Role", "namespace": "pay", "name": "pod-exec", "aggregated_from": []},
        "rule": {"api_group": "", "resource": "pods/exec", "resource_names": [], "verbs": ["create"]},
        "explanation": "RoleBinding pay/alice-exec → Role pay/pod-exec → pods/exec: create",
    }
    # ci/builder is bound to the same Role by another binding: another path; a path is stored once.
    (builder,) = subject(access, "exec", "builder")["grants"]
    assert builder["path"] != grant["path"] and builder["binding"]["name"] == "builder-exec"
    rbac = [(p["binding"], p["rule"]) for p in access["paths"] if p["authorizer"] == "RBAC"]
    assert len(rbac) == len({repr(p) for p in rbac})
    # A ClusterRole bound by a ClusterRoleBinding, to a group of the identity provider.
    sre = subject(access, "delete", "sre")
    assert (sre["kind"], sre["source"], sre["broad"], sre["covers"]) == ("Group", "external", False, None)
    assert sre["grants"][0]["binding"] == {"kind": "ClusterRoleBinding", "namespace": None, "name": "sre-delete"}
    # Wildcards are flagged, with the rule that holds them.
    (wanda,) = subject(access, "delete", "wanda")["grants"]
    assert wanda["wildcard"] is True and wanda["rule"]["verbs"] == ["*"]
    (xena,) = subject(access, "exec", "xena")["grants"]
    assert xena["wildcard"] is True and xena["rule"]["resource"] == "*/exec"
    (gary,) = subject(access, "patch-controller", "gary", "checkout")["grants"]
    assert gary["wildcard"] is True and gary["rule"]["api_group"] == "*"
    # resourceNames that include the pod are shown.
    (ina,) = subject(access, "exec", "ina")["grants"]
    assert ina["rule"]["resource_names"] == [X1] and ina["wildcard"] is False
    assert ina["explanation"] == f"RoleBinding pay/ina-exec-x1 → Role pay/exec-checkout-x1 → pods/exec [{X1}]: create"


async def test_aggregated_roles_name_the_role_they_took_the_grant_from(access: dict[str, Any]) -> None:
    for action in ("exec", "attach"):
        (grant,) = subject(access, action, "olga")["grants"]
        assert grant["role"] == {
            "kind": "ClusterRole", "namespace": None, "name": "pay-operator", "aggregated_from": ["pay-operator-exec"],
        }  # fmt: skip


async def test_service_account_subjects_and_system_groups(access: dict[str, Any]) -> None:
    deployer = subject(access, "patch-controller", "deployer", "checkout")
    assert (deployer["kind"], deployer["namespace"], deployer["source"], deployer["exists"]) == (
        "ServiceAccount", "ci", "cluster", True,
    )  # fmt: skip
    helper = subject(access, "patch-controller", "helper", "checkout")
    assert helper["namespace"] == "pay"  # a subject without a namespace takes the binding's
    builder = subject(access, "exec", "builder")  # bound by its user name
    assert (builder["kind"], builder["namespace"]) == ("ServiceAccount", "ci")
    everyone = subject(access, "logs", ALL_AUTHENTICATED)
    assert (everyone["source"], everyone["broad"]) == ("built-in", True)
    assert everyone["covers"] == "every authenticated user and every ServiceAccount"
    pay_accounts = subject(access, "read-configmap", "system:serviceaccounts:pay")
    assert pay_accounts["broad"] is True and pay_accounts["covers"] == "every ServiceAccount of namespace pay"


async def test_subjects_outside_rbac_are_reported_as_built_in(access: dict[str, Any]) -> None:
    masters = subject(access, "exec", SUPERUSER_GROUP)
    assert masters["source"] == "built-in"
    authorizers = {g["authorizer"] for g in masters["grants"]}
    assert authorizers == {"privileged group", "RBAC"}  # and its usual cluster-admin binding
    kubelet_a = subject(access, "read-secret", "system:node:node-a")
    assert (kubelet_a["kind"], kubelet_a["source"]) == ("User", "built-in")
    assert [g["authorizer"] for g in kubelet_a["grants"]] == ["Node"]


async def test_bindings_to_missing_roles_grant_nothing_and_are_listed(access: dict[str, Any]) -> None:
    assert access["dangling_bindings"] == [
        {"binding": {"kind": "RoleBinding", "namespace": "pay", "name": "ghost-binding"},
         "role": {"kind": "Role", "namespace": "pay", "name": "ghost"},
         "subjects": [{"kind": "User", "namespace": None, "name": "gina", "source": "external"}]},
        {"binding": {"kind": "RoleBinding", "namespace": "pay", "name": "missing-clusterrole"},
         "role": {"kind": "ClusterRole", "namespace": None, "name": "missing-cr"},
         "subjects": [{"kind": "Group", "namespace": None, "name": "ghosts", "source": "external"}]},
    ]  # fmt: skip
    assert access["summary"]["dangling_bindings"] == 2


async def test_summary_counts_and_worst_items(access: dict[str, Any]) -> None:
    summary = access["summary"]
    assert summary["by_action"]["exec"] == 5  # alice, xena, ina, olga, ci/builder (super-users not counted)
    assert summary["by_action"]["read-secret"] == 4  # pay/checkout, lou, rita, sam
    assert summary["broad"] == [
        {"group": ALL_AUTHENTICATED, "actions": ["logs"]},
        {"group": "system:serviceaccounts:pay", "actions": ["read-configmap"]},
    ]
    worst = summary["worst"]
    assert len(worst) == 5 and {w["action"] for w in worst} <= {
        "exec", "attach", "debug", "patch-controller", "read-secret", "impersonate-serviceaccount",
        "serviceaccount-token", "create-pods",
    }  # fmt: skip
    assert all(w["subject"]["name"] != SUPERUSER_GROUP for w in worst)


async def test_a_pod_not_in_the_graph_is_404(neo4j_driver: Any) -> None:
    from app.core.errors import ApiError

    await load_graph(neo4j_driver, "pay")
    with pytest.raises(ApiError) as missing:
        await InsightService(lambda: neo4j_driver).access("pay", "nope")
    assert (missing.value.status, missing.value.detail) == (404, "Pod 'nope' not found in namespace 'pay'")
