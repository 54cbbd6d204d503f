"""The conversation layer. `build_router()` composes every capability's router."""

from __future__ import annotations

from handlers.core import Router


def build_router() -> Router:
    from handlers import faq, onboarding, reports, status

    modules = [onboarding, faq, status, reports]
    from handlers import admissions, evaluations, record, source_edits, sources, undo  # the secretaries' pipeline

    modules += [sources, source_edits, admissions, evaluations, undo, record]
    combined = Router()
    for module in modules:
        combined.include(module.router)
    combined.check()
    return combined
