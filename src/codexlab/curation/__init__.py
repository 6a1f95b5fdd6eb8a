"""Codex-S data curation: sample-and-judge helpers and filtering a problem set by what a model can solve."""
