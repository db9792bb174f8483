"""The writer's Cypher, built from the kind table (:mod:`graph.schema`) and the relationship declarations
(:mod:`graph.relationships`). Labels and relationship types come only from those allow-lists; every value
travels as a parameter. Each builder is cached: a statement's text is built once per process.

Every statement seeks its nodes by the unique ``id`` or the (namespace, kind) index.
"""

from __future__ import annotations

from functools import cache

from .relationships import (
    CONTAINMENTS,
    HAS_KEEPER,
    Containment,
    End,
    Membership,
    Relationship,
    Selection,
    Synthesis,
)
from .schema import KIND_INFO


def _arrow(rel: Relationship, node: str, other: str, at: End, var: str = "") -> str:
    """The pattern of ``rel`` with ``node`` at end ``at`` and ``other`` at the other end."""
    body = f"[{var}:{rel.type}]"
    return f"({node})-{body}->({other})" if at is End.SOURCE else f"({other})-{body}->({node})"


def _placeholder(var: str, kind: str, row: str) -> str:
    """``ON CREATE SET`` of a node created because something names it: labels, the common properties and the
    kind's placeholder origin (``row`` holds ``kind``, ``name``, ``ns``)."""
    info = KIND_INFO[kind]
    return (
        f"ON CREATE SET {var}{info.label_clause}, {var}.kind = {row}.kind, {var}.name = {row}.name, "
        f"{var}.namespace = {row}.ns, {var}.origin = '{info.placeholder_origin}'"
    )


# ------------------------------------------------------------------------------------------ nodes


@cache
def upsert_nodes(kind: str) -> str:
    """Replace the properties of synced nodes (vanished properties disappear) and set their labels."""
    return f"UNWIND $rows AS row MERGE (n:K8s {{id: row.id}}) SET n = row.props SET n{KIND_INFO[kind].label_clause}"


EXISTING_NODES = (
    "UNWIND $ids AS id MATCH (n:K8s {id: id}) "
    "RETURN n.id AS id, n.origin AS origin, n.resource_version AS rv, n.sync_gen AS gen"
)
RESTAMP_NODES = "UNWIND $ids AS id MATCH (n:K8s {id: id}) SET n.sync_gen = $gen, n.synced_at = $now"
SYNCED_AMONG = "UNWIND $ids AS id MATCH (n:K8s {id: id}) WHERE n.origin = 'synced' RETURN n.id AS id"
DEMOTE_KEPT = (
    f"UNWIND $ids AS id MATCH (y:K8s {{id: id}}) WHERE {HAS_KEEPER} "
    "SET y = {id: y.id, kind: y.kind, name: y.name, namespace: y.namespace, origin: 'derived'}"
)


@cache
def delete_unkept() -> str:
    """Detach-delete the synced nodes that nothing keeps alive; return their containers (GC candidates)."""
    contained_by = "|".join(rel.type for rel in CONTAINMENTS)
    return (
        "UNWIND $ids AS id MATCH (y:K8s {id: id}) WHERE y.origin = 'synced' "
        f"OPTIONAL MATCH (c)-[:{contained_by}]->(y) WITH y, collect(c.id) AS containers "
        "DETACH DELETE y RETURN containers"
    )


@cache
def collect_garbage() -> str:
    """Delete candidates that stand for something unlisted or exist only in the graph, when nothing keeps them
    alive; return the far ends of their relationships (the next round's candidates)."""
    synthesized = [KIND_INFO[k].label for k, info in KIND_INFO.items() if info.placeholder_origin == "synthesized"]
    garbage = " OR ".join(["y.origin = 'derived'", *(f"y:{label}" for label in synthesized)])
    return (
        "UNWIND $ids AS cid MATCH (y:K8s {id: cid}) "
        f"WHERE ({garbage}) AND NOT {HAS_KEEPER} "
        "OPTIONAL MATCH (y)-[]-(t) "
        "WITH y, collect(DISTINCT t.id) AS far "
        "DETACH DELETE y RETURN far"
    )


# ------------------------------------------------------------------------------------------ containment


@cache
def contain(rel: Containment) -> str:
    """Rows ``{id, ns, ns_id}``: the container (a placeholder when absent) holds the node."""
    (container_kind,) = rel.source
    info = KIND_INFO[container_kind]
    return (
        "UNWIND $rows AS row MATCH (n:K8s {id: row.id}) "
        "MERGE (c:K8s {id: row.ns_id}) "
        f"ON CREATE SET c{info.label_clause}, c.kind = '{container_kind}', c.name = row.ns, "
        f"c.origin = '{info.placeholder_origin}' "
        f"MERGE (c)-[:{rel.type}]->(n)"
    )


# ------------------------------------------------------------------------------------------ one end's relationships


@cache
def remove_stale(rel: Relationship, at: End) -> str:
    """Rows ``{id, keep}``: delete the node's ``rel`` relationships (the node at end ``at``) whose other end is
    not in ``keep``; return those other ends (GC candidates)."""
    return (
        "UNWIND $rows AS row MATCH (x:K8s {id: row.id}) "
        f"MATCH {_arrow(rel, 'x', 't', at, 'r')} WHERE NOT t.id IN row.keep "
        "DELETE r RETURN DISTINCT t.id AS candidate"
    )


@cache
def merge_references(rel: Relationship, at: End, other_kind: str, *, fresh: bool) -> str:
    """Rows ``{src, dst, kind, name, ns, props}``: the node ``src`` (at end ``at``) names ``dst``, created as a
    placeholder when absent. ``fresh``: the naming nodes were never synced, so they have no relationship of this
    type yet and a plain CREATE is exact (and cheaper than MERGE next to dense nodes)."""
    return (
        "UNWIND $refs AS ref MATCH (x:K8s {id: ref.src}) "
        "MERGE (t:K8s {id: ref.dst}) "
        f"{_placeholder('t', other_kind, 'ref')} "
        f"{'CREATE' if fresh else 'MERGE'} {_arrow(rel, 'x', 't', at, 'r')} SET r = ref.props"
    )


# ------------------------------------------------------------------------------------------ both ends


@cache
def selection_candidates(rel: Selection, end: End) -> str:
    """The synced nodes at ``end`` of ``rel`` in the namespaces ``$nss`` (for a cluster-scoped kind: all of them),
    with what the selection reads of them: the stored selectors (source end) or the labels (target end)."""
    (kind,) = rel.kinds_at(end)
    prop = rel.selector_property if end is End.SOURCE else "labels"
    if not KIND_INFO[kind].namespaced:
        # Cluster-scoped kinds: every synced node of the kind, under the namespace key "".
        return (
            f"MATCH (c:{KIND_INFO[kind].label}) WHERE c.origin = 'synced' "
            f"RETURN '' AS ns, c.id AS id, c.{prop} AS value"
        )
    return (
        f"UNWIND $nss AS ns MATCH (c:K8s {{namespace: ns, kind: '{kind}'}}) WHERE c.origin = 'synced' "
        f"RETURN ns, c.id AS id, c.{prop} AS value"
    )


@cache
def merge_pairs(rel: Relationship) -> str:
    """Pairs ``{src, dst}`` of existing nodes."""
    return f"UNWIND $pairs AS pr MATCH (s:K8s {{id: pr.src}}) MATCH (t:K8s {{id: pr.dst}}) MERGE (s)-[:{rel.type}]->(t)"


@cache
def join_groups(rel: Membership) -> str:
    """Rows ``{id, groups}``: the member joins those of the listed groups that exist."""
    return (
        "UNWIND $rows AS row MATCH (m:K8s {id: row.id}) "
        "MATCH (g:K8s) WHERE g.id IN row.groups "
        f"MERGE (m)-[:{rel.type}]->(g)"
    )


@cache
def gather_members(rel: Membership) -> str:
    """Rows ``{id, ns}``: every member in namespace ``ns`` (every member when null) joins the group ``id``."""
    (member_kind,) = rel.source
    return (
        "UNWIND $groups AS grp MATCH (g:K8s {id: grp.id}) "
        f"MATCH (m:{KIND_INFO[member_kind].label}) WHERE grp.ns IS NULL OR m.namespace = grp.ns "
        f"MERGE (m)-[:{rel.type}]->(g)"
    )


@cache
def detach_both_ends(types: tuple[str, ...]) -> str:
    """Remove the both-ends relationships of the nodes ``$ids`` (either end is going)."""
    return f"UNWIND $ids AS id MATCH (x:K8s {{id: id}})-[r:{'|'.join(types)}]-() DELETE r"


# ------------------------------------------------------------------------------------------ synthesized nodes


def _made_of(rel: Synthesis) -> str:
    (part_kind,) = rel.target
    return f"(:K8s {{id: row.id}})-[:{rel.type}]->(p:{KIND_INFO[part_kind].label})"


@cache
def remove_stale_parts(rel: Synthesis) -> str:
    """Rows ``{id, keep}``: delete the source's parts not in ``keep``."""
    return f"UNWIND $rows AS row MATCH {_made_of(rel)} WHERE NOT p.id IN row.keep DETACH DELETE p"


@cache
def remove_parts(rel: Synthesis) -> str:
    """Rows ``{id}``: delete every part of the source (it is going)."""
    return f"UNWIND $rows AS row MATCH {_made_of(rel)} DETACH DELETE p"


@cache
def merge_parts(rel: Synthesis) -> str:
    """Rows ``{src, props}``: write each part with its full properties and link it to its source."""
    (part_kind,) = rel.target
    return (
        "UNWIND $rows AS row MATCH (s:K8s {id: row.src}) "
        f"MERGE (p:K8s {{id: row.props.id}}) SET p = row.props SET p{KIND_INFO[part_kind].label_clause} "
        f"MERGE (s)-[:{rel.type}]->(p)"
    )
