"""Channels: subscriptions, the outbox of new items, and daily digests.

Exactly once is kept here, in database claims: an outbox row per (channel,
action), a digest run per (channel, local day). Posting is the bot's job.

May import: `storage.dates`, `storage.db`, `storage.answers`.
"""
