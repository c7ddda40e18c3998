"""The store: annotated articles in, answers out. Knows nothing of Slack.

One package per capability, each importing only those below it (the table in
`tests/test_layering.py` is the rule, checked on every run):

    dates, authorities   leaf modules: what news copy's date words and body names mean
    db/                  tables, engine and sessions, migrations, SQL helpers, the writer lock
    names/               folding names to tokens, the stored index, candidate search, scoring
    articles/            reading and validating annotated files in every format
    extract/             drafting annotations from raw text
    answers/             questions, the Answer model, queries, the answer cache
    channels/            subscriptions, the outbox of new items, daily digests
    ingest/              storing validated articles and hand-added items
    export               the store's facts written out (FtM, CSV, native)

`samples/` holds the bundled articles the quick start loads.
"""
