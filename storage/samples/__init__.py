"""The bundled samples, written by us about real sanctions events: articles, and excerpts of the official lists."""

from pathlib import Path

SAMPLES_DIR = Path(__file__).parent
LIST_SAMPLES_DIR = SAMPLES_DIR / "lists"
# The excerpts `sanctions lists import --samples` loads, one file per list and source (the other files
# of the folder are the same lists in another form or version, for tests). Excerpts: imported as partial.
LIST_SAMPLES = [LIST_SAMPLES_DIR / name for name in (
    "ofac_sdn.xml", "eu_fsf.xml", "uk_sanctions_list.xml", "un_consolidated.xml", "ca_sema_bilingual.xml",
    "opensanctions_entities.ftm.ndjson",
)]
