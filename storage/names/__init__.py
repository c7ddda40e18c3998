"""Names: folding to comparable tokens, the index kept in the database, search and scoring.

`folding` turns a name in any script into tokens; `stored` decides what a
target's names store (tokens, merge keys, the canonical name); `index` keeps
the vocabulary, typo keys and postings; `search` finds candidates in the
database and ranks them with the feature table of `scoring`; `refold`
rewrites stored names when folding changes.

May import: `storage.db`.
"""
