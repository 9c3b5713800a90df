"""Telling a database that is down from a query it rejected (ops.middleware and ops.views)."""

from django.db import DatabaseError, InterfaceError, OperationalError


def is_database_down(exception: BaseException) -> bool:
    """Connection trouble, as opposed to a query the database rejected."""
    if isinstance(exception, (OperationalError, InterfaceError)):
        return True
    return isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
