"""Docs are tests: the shell blocks of README.md and docs/*.md, run (ci/doc-tests)."""
