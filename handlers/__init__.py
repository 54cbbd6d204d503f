"""The conversation layer. `build_router()` composes every capability's router."""

from __future__ import annotations

from handlers.core import Router


def build_router() -> Router:
    from handlers import faq, onboarding, status

    modules = [onboarding, faq, status]
    from handlers import admissions, evaluations, source_edits, sources, undo  # the secretaries' pipeline

    modules += [sources, source_edits, admissions, evaluations, undo]
    from handlers import broadcasts, classes, targets  # reminders, classes, targets, broadcasts

    modules += [classes, targets, broadcasts]
    combined = Router()
    for module in modules:
        combined.include(module.router)
    combined.check()
    return combined
