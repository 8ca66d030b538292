"""The one search service: an index of documents of any kind, registered by the modules through
``pantau.core.hooks.search_source``, searched with everyday Indonesian words (ADR 0012).

- ``find(kind, text, where=Q(...), stamp=...)``: the first 1 001 hits ranked (kept in the cache
  under the index stamp when one is given), a bounded count and a "did you mean";
- ``capped_page(qs, number, size)``: a page of them (no unbounded OFFSET, no full count);
- ``refresh(kind, ids)`` / ``deferred()``: keep documents current in the writer's transaction;
- ``rebuild()``: everything from scratch (``pantau search_reindex``).

Models live in ``pantau.core.search.models`` (imported by ``pantau.core.models``); import the
functions from the submodules (``query``, ``index``) so that this package loads before the apps.
"""
