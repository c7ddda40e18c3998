"""The database itself: tables, opening the store, migrations, SQL helpers, the writer lock.

May import: nothing else of `storage`. The migration scripts under
`migrations/versions/` are the one exception: a migration that rewrites stored
rows (re-folding names) runs today's code of the package that owns them, so
it may import `storage.names`; nothing imports a migration.
"""
