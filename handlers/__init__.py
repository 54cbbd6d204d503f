"""The conversation layer. `build_router()` composes every capability's router."""

from __future__ import annotations

from handlers.core import Router


def build_router() -> Router:
    from handlers import (admissions, broadcasts, classes, evaluations, faq, linking, onboarding, record,
                          reports, source_edits, sources, status, targets, undo)

    modules = [
        onboarding, faq, status, reports,  # everyone; staff status and files
        sources, source_edits, admissions, evaluations, undo, record,  # the secretaries' pipeline
        classes, targets, broadcasts,  # training classes, yearly targets, broadcasts
        linking,  # one person on Telegram and Zalo (/lienket)
    ]
    combined = Router()
    for module in modules:
        combined.include(module.router)
    combined.check()
    return combined
