"""Reports: terminal tables, JSON summaries and progress for people watching a run."""
