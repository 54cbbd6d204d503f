"""The conversation layer. `build_router()` composes every capability's router."""

from __future__ import annotations

from handlers.core import Router


def build_router() -> Router:
    from handlers import faq, onboarding, status

    modules = [onboarding, faq, status]
    combined = Router()
    for module in modules:
        combined.commands.update(module.router.commands)
        combined.flows.update(module.router.flows)
        combined.choices.update(module.router.choices)
    return combined
