"""Writing facts into the store: validated articles (`writer`) and hand-added items (`manual`).

Ingest merges reports and targets, bumps the answer cache and writes outbox
rows in the same transaction as the facts, so it sits above every package it
feeds.

May import: every `storage` package below it (`dates`, `authorities`, `db`,
`names`, `articles`, `extract`, `answers`, `channels`).
"""
