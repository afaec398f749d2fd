"""The extraction rules: one rule per module of this package, each registering itself in
:data:`REGISTRY` with :func:`rightsgraph.extraction.rules.registry.rule`.

Adding a rule is adding a module here (and its test in ``tests/extraction/rules/``): every module of the
package is imported when the package is, so its rule registers itself.
"""

from __future__ import annotations

import importlib
import pkgutil

from rightsgraph.extraction.rules.registry import REGISTRY, Rule

__all__ = ["REGISTRY", "Rule", "predicates"]

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _module.name != "registry":
        importlib.import_module(f"{__name__}.{_module.name}")


def predicates() -> list[str]:
    """The predicates the rules propose, each once, in the order of the rules."""
    return list(dict.fromkeys(p for r in REGISTRY for p in r.predicates))
