#!/usr/bin/env python3
"""Probe a MongoDB-wire server for the operations Kure Monitor's store relies on.

Run against the local FerretDB (or any MongoDB) with the project's venv::

    .venv/bin/python scripts/mongo_capabilities.py [--uri mongodb://127.0.0.1:27017] [--ttl-wait 0]

Prints one line per capability (``yes`` / ``NO`` / ``partial`` plus the observed detail) and works in a
throw-away database that it drops afterwards. The findings for FerretDB 1.24.2 + SQLite are recorded in
docs/services.md; re-run this after upgrading the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from pymongo import ASCENDING, DESCENDING, MongoClient, ReturnDocument
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, PyMongoError

Result = tuple[str, str]  # (verdict, detail)


def _unique_simple(db: Database[Any]) -> Result:
    coll = db["u_simple"]
    coll.create_index("name", unique=True)
    coll.insert_one({"name": "a"})
    try:
        coll.insert_one({"name": "a"})
    except DuplicateKeyError as exc:
        return "yes", f"DuplicateKeyError code {exc.code}"
    return "NO", "second insert accepted"


def _unique_compound(db: Database[Any]) -> Result:
    coll = db["u_compound"]
    coll.create_index([("ns", ASCENDING), ("name", ASCENDING)], unique=True)
    coll.insert_many([{"ns": "a", "name": "x"}, {"ns": "b", "name": "x"}])
    try:
        coll.insert_one({"ns": "a", "name": "x"})
    except DuplicateKeyError as exc:
        return "yes", f"(a,x) twice rejected with code {exc.code}; (a,x)+(b,x) accepted"
    return "NO", "duplicate compound key accepted"


def _unique_missing_field(db: Database[Any]) -> Result:
    # MongoDB indexes a missing field as null, so a plain unique index admits only one document without it.
    coll = db["u_missing"]
    coll.create_index("email", unique=True)
    coll.insert_one({"x": 1})
    try:
        coll.insert_one({"x": 2})
    except DuplicateKeyError:
        return "yes", "second document without the field rejected (MongoDB semantics)"
    return "differs", "several documents without the field accepted (SQLite NULLs are distinct)"


def _unique_explicit_null(db: Database[Any]) -> Result:
    coll = db["u_null"]
    coll.create_index("email", unique=True)
    coll.insert_one({"email": None})
    try:
        coll.insert_one({"email": None})
    except DuplicateKeyError:
        return "yes", "second explicit null rejected (MongoDB semantics)"
    return "differs", "two explicit nulls accepted"


def _index_option(db: Database[Any], name: str, **options: Any) -> Result:
    coll = db[f"opt_{name}"]
    try:
        coll.create_index("field", name=f"field_{name}", **options)
    except OperationFailure as exc:
        return "NO", f"createIndexes fails: code {exc.code} {exc.details.get('errmsg') if exc.details else exc}"
    info = coll.index_information().get(f"field_{name}", {})
    return "accepted", f"index info {sorted(k for k in info if k not in {'v', 'key'})}"


def _sparse_unique_enforced(db: Database[Any]) -> Result:
    coll = db["u_sparse"]
    try:
        coll.create_index("token", unique=True, sparse=True)
    except OperationFailure as exc:
        return "NO", f"code {exc.code}"
    coll.insert_one({"x": 1})
    try:
        coll.insert_one({"x": 2})
    except DuplicateKeyError:
        return "ignored", "sparse accepted but not applied: two docs without the field collide"
    sparse = coll.index_information()["token_1"].get("sparse")
    return "yes" if sparse else "partial", f"two docs without the field accepted; listIndexes sparse={sparse}"


def _ttl_deletes(db: Database[Any], wait: float) -> Result:
    coll = db["ttl"]
    try:
        coll.create_index("expires_at", expireAfterSeconds=0)
    except OperationFailure as exc:
        return "NO", f"createIndexes fails: code {exc.code}"
    coll.insert_one({"expires_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)})
    if wait <= 0:
        return "accepted", "index created; deletion not observed (use --ttl-wait 70)"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if coll.count_documents({}) == 0:
            return "yes", "expired document removed"
        time.sleep(2)
    return "NO", f"index accepted but expired document still there after {wait:.0f}s"


def _find_one_and_update_upsert_inc(db: Database[Any]) -> Result:
    coll = db["counters"]
    first = coll.find_one_and_update({"_id": "incident"}, {"$inc": {"seq": 1}}, upsert=True,
                                     return_document=ReturnDocument.AFTER)
    second = coll.find_one_and_update({"_id": "incident"}, {"$inc": {"seq": 1}}, upsert=True,
                                      return_document=ReturnDocument.AFTER)
    before = coll.find_one_and_update({"_id": "incident"}, {"$inc": {"seq": 1}},
                                      return_document=ReturnDocument.BEFORE)
    ok = first == {"_id": "incident", "seq": 1} and second is not None and second["seq"] == 2
    ok = ok and before is not None and before["seq"] == 2
    return ("yes" if ok else "NO"), f"AFTER gives {first} then {second}; BEFORE gives {before}"


def _set_on_insert(db: Database[Any]) -> Result:
    coll = db["soi"]
    created = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for count in (1, 2):
        coll.update_one({"key": "k"}, {"$setOnInsert": {"created": created, "count0": count},
                                       "$set": {"last": count}, "$inc": {"n": 1}}, upsert=True)
    doc = coll.find_one({"key": "k"}, {"_id": 0})
    ok = doc is not None and doc["count0"] == 1 and doc["last"] == 2 and doc["n"] == 2
    return ("yes" if ok else "NO"), f"after two upserts: {doc}"


def _count_documents(db: Database[Any]) -> Result:
    coll = db["count"]
    coll.insert_many([{"i": i, "even": i % 2 == 0} for i in range(25)])
    total = coll.count_documents({})
    even = coll.count_documents({"even": True})
    page = coll.count_documents({"i": {"$gte": 5}}, skip=3, limit=10)
    estimated = coll.estimated_document_count()
    ok = (total, even, page, estimated) == (25, 13, 10, 25)
    return ("yes" if ok else "NO"), f"total={total} filtered={even} skip/limit={page} estimated={estimated}"


def _aggregate_group(db: Database[Any]) -> Result:
    coll = db["agg"]
    coll.insert_many([
        {"ns": "a", "reason": "OOMKilled", "n": 1}, {"ns": "a", "reason": "OOMKilled", "n": 2},
        {"ns": "b", "reason": "CrashLoop", "n": 5}, {"ns": "a", "reason": "CrashLoop", "n": 7},
    ])
    rows = list(coll.aggregate([
        {"$match": {"n": {"$gte": 1}}},
        {"$group": {"_id": "$reason", "total": {"$sum": "$n"}}},
        {"$sort": {"total": DESCENDING}},
    ]))
    simplified = [(r["_id"], r["total"]) for r in rows]
    ok = simplified == [("CrashLoop", 12), ("OOMKilled", 3)]
    return ("yes" if ok else "NO"), f"$match/$group(one $sum)/$sort -> {simplified}"


def _group_two_accumulators(db: Database[Any]) -> Result:
    coll = db["agg_two"]
    coll.insert_many([{"g": "a", "n": 1}, {"g": "a", "n": 2}])
    rows = list(coll.aggregate([{"$group": {"_id": "$g", "count": {"$sum": 1}, "total": {"$sum": "$n"}}}]))
    got = [(r["_id"], r["count"], r["total"]) for r in rows]
    return ("yes" if got == [("a", 2, 3)] else "NO"), f"{{count: $sum 1, total: $sum $n}} -> {got} (want a,2,3)"


def _group_accumulators(db: Database[Any]) -> Result:
    coll = db["agg_acc"]
    coll.insert_many([{"g": 1, "n": 1}, {"g": 1, "n": 3}])
    missing = []
    for name in ("$count", "$avg", "$min", "$max", "$first", "$last", "$push", "$addToSet"):
        operand: Any = {} if name == "$count" else "$n"
        try:
            list(coll.aggregate([{"$group": {"_id": "$g", "v": {name: operand}}}]))
        except OperationFailure:
            missing.append(name)
    return ("yes" if not missing else "partial"), f"$sum works; not implemented: {missing or 'none'}"


def _aggregate_stage(db: Database[Any], stage: dict[str, Any]) -> Result:
    coll = db["agg_stage"]
    if coll.estimated_document_count() == 0:
        coll.insert_many([{"k": 1, "tags": ["x", "y"]}, {"k": 2, "tags": ["y"]}])
    try:
        rows = list(coll.aggregate([stage]))
    except OperationFailure as exc:
        return "NO", f"code {exc.code}"
    return "yes", f"{len(rows)} rows"


def _group_date_trunc(db: Database[Any]) -> Result:
    coll = db["agg_date"]
    now = dt.datetime(2024, 5, 1, 10, 30, tzinfo=dt.UTC)
    coll.insert_many([{"at": now}, {"at": now + dt.timedelta(minutes=5)}, {"at": now + dt.timedelta(days=1)}])
    try:
        rows = list(coll.aggregate([
            {"$group": {"_id": {"$dateToString": {"format": "%Y-%m-%d", "date": "$at"}}, "n": {"$sum": 1}}},
            {"$sort": {"_id": 1}},
        ]))
    except OperationFailure as exc:
        return "NO", f"$dateToString in $group: code {exc.code}"
    return "yes", str(rows)


def _concurrent_unique(db: Database[Any], client_factory: Callable[[], MongoClient[Any]]) -> Result:
    coll = db["race"]
    coll.create_index("fingerprint", unique=True)
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(16)

    def worker(index: int) -> None:
        client = client_factory()
        try:
            target = client[db.name]["race"]
            barrier.wait()
            try:
                target.insert_one({"fingerprint": "same", "worker": index})
                outcome = "inserted"
            except DuplicateKeyError as exc:
                outcome = f"dup:{exc.code}"
            except PyMongoError as exc:
                outcome = f"other:{type(exc).__name__}:{getattr(exc, 'code', None)}"
        finally:
            client.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    inserted = outcomes.count("inserted")
    dups = sum(1 for o in outcomes if o == "dup:11000")
    others = sorted({o for o in outcomes if o not in {"inserted", "dup:11000"}})
    ok = inserted == 1 and dups == 15 and coll.count_documents({}) == 1
    return ("yes" if ok else "NO"), f"16 racing inserts: {inserted} inserted, {dups} x 11000, other={others}"


def _concurrent_upsert_inc(db: Database[Any], client_factory: Callable[[], MongoClient[Any]]) -> Result:
    # The id-counter pattern: many writers $inc the same (possibly missing) counter with upsert=True.
    coll = db["race_counter"]
    values: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker() -> None:
        client = client_factory()
        try:
            target = client[db.name]["race_counter"]
            barrier.wait()
            for _ in range(25):
                try:
                    doc = target.find_one_and_update({"_id": "seq"}, {"$inc": {"value": 1}}, upsert=True,
                                                     return_document=ReturnDocument.AFTER)
                    with lock:
                        values.append(int(doc["value"]) if doc else -1)
                except PyMongoError as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}:{getattr(exc, 'code', None)}")
        finally:
            client.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = coll.find_one({"_id": "seq"})
    unique = len(set(values)) == len(values)
    expected = len(values)
    ok = unique and not errors and final is not None and final["value"] == expected == 200
    detail = (f"8x25 upsert+$inc: {len(values)} ok, all distinct={unique}, final={final and final['value']}, "
              f"errors={sorted(set(errors))} x{len(errors)}")
    return ("yes" if ok else "partial"), detail


def _race(client_factory: Callable[[], MongoClient[Any]], db_name: str, threads: int, rounds: int,
          action: Callable[[Any], Any]) -> tuple[list[Any], list[str]]:
    """Run action(collection) rounds times in each of `threads` threads started together."""
    results: list[Any] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker() -> None:
        client = client_factory()
        try:
            target = client[db_name]
            barrier.wait()
            for _ in range(rounds):
                try:
                    value = action(target)
                    with lock:
                        results.append(value)
                except PyMongoError as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}:{getattr(exc, 'code', None)}")
        finally:
            client.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, errors


def _concurrent_update_inc(db: Database[Any], client_factory: Callable[[], MongoClient[Any]]) -> Result:
    db["race_update"].insert_one({"_id": "seq", "value": 0})
    _, errors = _race(client_factory, db.name, 8, 25,
                      lambda d: d["race_update"].update_one({"_id": "seq"}, {"$inc": {"value": 1}}))
    final = db["race_update"].find_one({"_id": "seq"})
    value = final["value"] if final else None
    return ("yes" if value == 200 and not errors else "NO"), f"8x25 update_one $inc: final={value} (want 200)"


def _concurrent_fam_existing(db: Database[Any], client_factory: Callable[[], MongoClient[Any]]) -> Result:
    db["race_fam"].insert_one({"_id": "seq", "value": 0})
    values, errors = _race(client_factory, db.name, 8, 25, lambda d: d["race_fam"].find_one_and_update(
        {"_id": "seq"}, {"$inc": {"value": 1}}, return_document=ReturnDocument.AFTER)["value"])
    final = db["race_fam"].find_one({"_id": "seq"})
    distinct = len(set(values)) == len(values)
    ok = distinct and final is not None and final["value"] == 200 and not errors
    return ("yes" if ok else "NO"), (f"8x25 find_one_and_update $inc on an existing doc: distinct={distinct}, "
                                     f"final={final and final['value']} (want 200)")


def _concurrent_upsert_same_key(db: Database[Any], client_factory: Callable[[], MongoClient[Any]]) -> Result:
    _, _errors = _race(client_factory, db.name, 8, 1, lambda d: d["race_upsert"].update_one(
        {"key": "k"}, {"$inc": {"n": 1}}, upsert=True))
    docs = db["race_upsert"].count_documents({"key": "k"})
    return ("yes" if docs == 1 else "NO"), f"8 racing upserts of one key, no unique index: {docs} documents"


def _insert_based_counter(db: Database[Any], client_factory: Callable[[], MongoClient[Any]]) -> Result:
    # Allocation through a unique index: read the highest, insert +1, retry on 11000.
    db["alloc"].create_index([("name", ASCENDING), ("value", ASCENDING)], unique=True)

    def allocate(d: Any) -> int:
        for _ in range(1000):
            top = d["alloc"].find_one({"name": "incident"}, sort=[("value", DESCENDING)])
            candidate = (top["value"] if top else 0) + 1
            try:
                d["alloc"].insert_one({"name": "incident", "value": candidate})
            except DuplicateKeyError:
                continue
            return candidate
        raise RuntimeError("no value allocated")

    values, errors = _race(client_factory, db.name, 8, 25, allocate)
    ok = sorted(values) == list(range(1, 201)) and not errors
    return ("yes" if ok else "NO"), f"8x25 allocations: {len(values)} values, gap-free 1..200={ok}"


def _push_slice(db: Database[Any]) -> Result:
    coll = db["slice"]
    coll.insert_one({"_id": 1, "items": [1, 2, 3]})
    coll.update_one({"_id": 1}, {"$push": {"items": {"$each": [4, 5], "$slice": -3}}})
    doc = coll.find_one({"_id": 1})
    items = doc["items"] if doc else None
    return ("yes" if items == [3, 4, 5] else "NO"), f"[1,2,3] $push [4,5] $slice -3 -> {items}"


def _bulk_unordered_duplicates(db: Database[Any]) -> Result:
    coll = db["bulk"]
    coll.create_index("k", unique=True)
    try:
        coll.insert_many([{"k": 1}, {"k": 1}, {"k": 2}], ordered=False)
    except BulkWriteError as exc:
        codes = sorted({e["code"] for e in exc.details["writeErrors"]})
        stored = coll.count_documents({})
        return "yes", f"BulkWriteError codes {codes}, inserted {exc.details['nInserted']}, stored {stored}"
    return "NO", "no error"


def _transactions(client: MongoClient[Any], db: Database[Any]) -> Result:
    try:
        with client.start_session() as session, session.start_transaction():
            db["txn"].insert_one({"x": 1}, session=session)
    except PyMongoError as exc:
        return "NO", f"{type(exc).__name__}: {str(exc)[:120]}"
    return "yes", "multi-document transaction committed"


def _update_operators(db: Database[Any]) -> Result:
    coll = db["ops"]
    coll.insert_one({"_id": 1, "tags": ["a"], "arr": [{"id": 1, "v": 0}, {"id": 2, "v": 0}], "gone": True})
    failures = []
    cases: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("$push $each", {"$push": {"tags": {"$each": ["b", "c"]}}}, {}),
        ("$addToSet", {"$addToSet": {"tags": "z"}}, {}),
        ("$pull", {"$pull": {"tags": "z"}}, {}),
        ("$unset", {"$unset": {"gone": ""}}, {}),
        ("$max", {"$max": {"hi": 5}}, {}),
        ("$min", {"$min": {"lo": 5}}, {}),
        ("$currentDate", {"$currentDate": {"touched": True}}, {}),
        ("positional $", {"$set": {"arr.$.v": 1}}, {"filter": {"_id": 1, "arr.id": 1}}),
        ("arrayFilters", {"$set": {"arr.$[e].v": 2}}, {"array_filters": [{"e.id": 2}]}),
    ]
    for label, update, kwargs in cases:
        try:
            coll.update_one(kwargs.pop("filter", {"_id": 1}), update, **kwargs)
        except PyMongoError as exc:
            failures.append(f"{label} (code {getattr(exc, 'code', None)})")
    doc = coll.find_one({"_id": 1})
    return ("yes" if not failures else "partial"), f"unsupported: {failures or 'none'}; doc={doc}"


def _query_operators(db: Database[Any]) -> Result:
    coll = db["query"]
    coll.insert_many([{"name": "Pod-A", "n": 1, "tags": ["x"], "m": {"k": "v"}},
                      {"name": "pod-b", "n": 2, "tags": ["y"]}])
    failures = []
    for label, query in [
        ("$regex i", {"name": {"$regex": "^pod", "$options": "i"}}),
        ("$in", {"n": {"$in": [1, 2]}}),
        ("$exists", {"m": {"$exists": True}}),
        ("$elemMatch", {"tags": {"$elemMatch": {"$eq": "x"}}}),
        ("$or", {"$or": [{"n": 1}, {"n": 2}]}),
        ("dotted path", {"m.k": "v"}),
        ("$expr", {"$expr": {"$gt": ["$n", 1]}}),
        ("$text", {"$text": {"$search": "pod"}}),
    ]:
        try:
            list(coll.find(query))
        except PyMongoError as exc:
            failures.append(f"{label} (code {getattr(exc, 'code', None)})")
    try:
        coll.distinct("n")
    except PyMongoError as exc:
        failures.append(f"distinct (code {getattr(exc, 'code', None)})")
    try:
        list(coll.find().sort([("n", DESCENDING)]).skip(1).limit(1))
    except PyMongoError as exc:
        failures.append(f"sort/skip/limit (code {getattr(exc, 'code', None)})")
    return ("yes" if not failures else "partial"), f"unsupported: {failures or 'none'}"


def _datetime_roundtrip(db: Database[Any]) -> Result:
    coll = db["dates"]
    value = dt.datetime(2024, 5, 1, 10, 30, 15, 123000, tzinfo=dt.UTC)
    coll.insert_one({"at": value})
    back = coll.find_one({"at": {"$gte": value - dt.timedelta(seconds=1)}})
    ok = back is not None and back["at"].replace(tzinfo=dt.UTC) == value
    return ("yes" if ok else "NO"), f"stored {value.isoformat()}, read {back and back['at']}"


def _change_streams(db: Database[Any]) -> Result:
    try:
        with db["cs"].watch(max_await_time_ms=100) as stream:
            stream.try_next()
    except PyMongoError as exc:
        return "NO", f"code {getattr(exc, 'code', None)}"
    return "yes", "change stream opened"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uri", default=os.environ.get("KURE_TEST_MONGODB_URI", "mongodb://127.0.0.1:27017"))
    parser.add_argument("--ttl-wait", type=float, default=0.0,
                        help="seconds to wait for a TTL deletion (MongoDB's TTL monitor runs every 60 s)")
    args = parser.parse_args(argv)

    def factory() -> MongoClient[Any]:
        return MongoClient(args.uri, serverSelectionTimeoutMS=3000)

    client = factory()
    info = client.admin.command("buildInfo")
    print(f"server: {info.get('ferretdbVersion', 'MongoDB')} (wire {info.get('version')}) at {args.uri}")
    db = client[f"kure_capabilities_{uuid.uuid4().hex[:8]}"]
    probes: list[tuple[str, Callable[[], Result]]] = [
        ("unique index (simple), DuplicateKeyError", lambda: _unique_simple(db)),
        ("unique index (compound)", lambda: _unique_compound(db)),
        ("unique index: 2 docs missing the field", lambda: _unique_missing_field(db)),
        ("unique index: 2 docs with explicit null", lambda: _unique_explicit_null(db)),
        ("partial index (partialFilterExpression)",
         lambda: _index_option(db, "partial", partialFilterExpression={"field": {"$exists": True}})),
        ("sparse unique index", lambda: _sparse_unique_enforced(db)),
        ("TTL index (expireAfterSeconds)", lambda: _ttl_deletes(db, args.ttl_wait)),
        ("findOneAndUpdate upsert + $inc", lambda: _find_one_and_update_upsert_inc(db)),
        ("$setOnInsert with $set/$inc upsert", lambda: _set_on_insert(db)),
        ("count_documents / estimated count", lambda: _count_documents(db)),
        ("aggregate $match/$group/$sort", lambda: _aggregate_group(db)),
        ("aggregate: two accumulators in one $group", lambda: _group_two_accumulators(db)),
        ("aggregate $group accumulators", lambda: _group_accumulators(db)),
        ("aggregate $dateToString in $group", lambda: _group_date_trunc(db)),
        ("aggregate $lookup", lambda: _aggregate_stage(
            db, {"$lookup": {"from": "agg", "localField": "k", "foreignField": "n", "as": "j"}})),
        ("aggregate $facet", lambda: _aggregate_stage(db, {"$facet": {"a": [{"$match": {}}]}})),
        ("aggregate $unwind", lambda: _aggregate_stage(db, {"$unwind": "$tags"})),
        ("aggregate $project", lambda: _aggregate_stage(db, {"$project": {"k": 1}})),
        ("aggregate $sortByCount", lambda: _aggregate_stage(db, {"$sortByCount": "$k"})),
        ("unique violation under concurrency", lambda: _concurrent_unique(db, factory)),
        ("concurrent upsert + $inc (id counter)", lambda: _concurrent_upsert_inc(db, factory)),
        ("concurrent update_one $inc", lambda: _concurrent_update_inc(db, factory)),
        ("concurrent findOneAndUpdate $inc (exists)", lambda: _concurrent_fam_existing(db, factory)),
        ("concurrent upsert of one key", lambda: _concurrent_upsert_same_key(db, factory)),
        ("counter via unique index + retry", lambda: _insert_based_counter(db, factory)),
        ("$push with $each + $slice", lambda: _push_slice(db)),
        ("insert_many unordered with duplicates", lambda: _bulk_unordered_duplicates(db)),
        ("update operators", lambda: _update_operators(db)),
        ("query operators", lambda: _query_operators(db)),
        ("datetime round-trip (ms)", lambda: _datetime_roundtrip(db)),
        ("multi-document transactions", lambda: _transactions(client, db)),
        ("change streams", lambda: _change_streams(db)),
    ]
    try:
        for label, probe in probes:
            try:
                verdict, detail = probe()
            except PyMongoError as exc:
                verdict, detail = "ERROR", f"{type(exc).__name__}: {str(exc)[:160]}"
            print(f"{verdict:<8} {label:<44} {detail}", flush=True)
    finally:
        client.drop_database(db.name)
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
