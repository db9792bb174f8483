"""Domain errors raised by repositories (no HTTP knowledge here)."""


class StorageError(Exception):
    """Base class."""


class DuplicateError(StorageError):
    """A unique key already exists."""


class NotFoundError(StorageError):
    """The record does not exist."""
