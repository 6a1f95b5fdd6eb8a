"""A tiny library with pure and impure functions, traced by codexlab's harvester tests."""
