"""Answers: what a journalist asks, read as a question, answered from the store.

`questions` parses what was typed; `queries` answers it; `model` holds the
plain dataclasses every renderer (Block Kit, text, JSON) reads; `cache` keeps
answers until the facts change.

May import: `storage.dates`, `storage.authorities`, `storage.db`, `storage.names`.
"""
