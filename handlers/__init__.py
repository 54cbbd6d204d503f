"""The conversation layer. `build_router()` composes every capability's router."""

from __future__ import annotations

from handlers.core import Router


def build_router() -> Router:
    from handlers import faq, onboarding, status

    modules = [onboarding, faq, status]
    from handlers import admissions, evaluations, source_edits, sources, undo  # the secretaries' pipeline

    modules += [sources, source_edits, admissions, evaluations, undo]
    from handlers import linking  # one person on Telegram and Zalo (/lienket)

    modules.append(linking)
    combined = Router()
    for module in modules:
        combined.include(module.router)
    combined.check()
    return combined
