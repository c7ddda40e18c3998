"""The bundled sample articles, written by us about real sanctions events."""

from pathlib import Path

SAMPLES_DIR = Path(__file__).parent
