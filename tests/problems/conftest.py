"""The sample project is traced by the harvester tests, never collected as part of codexlab's own suite."""

collect_ignore = ["sample_project"]
