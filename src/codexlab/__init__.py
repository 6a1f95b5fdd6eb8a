"""codexlab: evaluate, execute and train code models the way the Codex paper did.

The package layout mirrors the pipeline:
problems -> generation -> execution -> evaluation -> reports.
"""

__version__ = "0.1.0"
