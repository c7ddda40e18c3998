"""The official sanctions lists: reading the publishers' files, snapshots, linking entries to targets.

`entries` is the shape every reader yields; `formats/` holds one reader per
publisher's format; `reading` tells the format from the content; snapshots,
linking and the read side for answers build on them.

May import: `storage.dates`, `storage.authorities`, `storage.db`, `storage.names`
(answers read listings from here, so lists sit below them; a change of facts
bumps `storage.db.generation`).
"""
