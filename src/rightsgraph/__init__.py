"""rightsgraph: a knowledge graph of North Korean human-rights documentation, with provenance on every fact."""

__version__ = "0.1.0"
