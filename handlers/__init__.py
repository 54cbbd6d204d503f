"""The conversation layer. `build_router()` composes every capability's router."""

from __future__ import annotations

from handlers.core import Router


def build_router() -> Router:
    from handlers import faq, onboarding, status

    modules = [onboarding, faq, status]
    from handlers import admissions, evaluations, source_edits, sources, undo  # the secretaries' pipeline

    modules += [sources, source_edits, admissions, evaluations, undo]
    combined = Router()
    for module in modules:
        combined.commands.update(module.router.commands)
        combined.flows.update(module.router.flows)
        combined.choices.update(module.router.choices)
    return combined
