"""Harvesting problems from test suites by tracing the functions they call (the paper's CI source)."""

from codexlab.problems.harvest.harvest import HarvestReport, harvest, trace_suite

__all__ = ["HarvestReport", "harvest", "trace_suite"]
