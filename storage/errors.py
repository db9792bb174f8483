"""Domain errors raised by repositories (no HTTP knowledge here)."""


class StorageError(Exception):
    """Base class."""


class DuplicateError(StorageError):
    """A unique key already exists."""


class NotFoundError(StorageError):
    """The record does not exist."""


class LastAdminError(StorageError):
    """The change would leave no admin."""


def is_duplicate_key(exc: BaseException) -> bool:
    """A unique-index violation, in either form a server reports it.

    MongoDB (and FerretDB on insert) raise DuplicateKeyError (code 11000); FerretDB 1.x with SQLite reports a
    violation caused by an *update* as a generic OperationFailure carrying SQLite's "UNIQUE constraint failed".
    """
    from pymongo.errors import DuplicateKeyError, OperationFailure

    if isinstance(exc, DuplicateKeyError):
        return True
    return isinstance(exc, OperationFailure) and "UNIQUE constraint failed" in str(exc)


def is_unavailable(exc: BaseException) -> bool:
    """The database could not be reached (down, unreachable, timed out): an outage, not a defect."""
    from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError

    return isinstance(exc, ConnectionFailure | ServerSelectionTimeoutError)
