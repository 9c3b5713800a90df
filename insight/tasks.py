"""Background work: the counts of the status pages, worked out by the worker."""

from __future__ import annotations

from django.tasks import task

from insight import actions


@task
def refresh_figures_task() -> float:
    return actions.refresh_figures().seconds
