"""The trust boundary: what each audience may see (``policy``), the releases made for them (``publish``),
and the audit log of releases and accepted review files (``audit``)."""

from rightsgraph.release.publish import open  # noqa: A004, F401 - release.open(paths, audience)
