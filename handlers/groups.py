"""The priority-group multi-select shared by /nguon and /suanguon: toggle buttons, then
"Chọn xong"; or type the groups at once ("dv, sv", "1 5")."""

from __future__ import annotations

from domain import categories, texts
from handlers.core import Context
from handlers.types import Choice, Reply, UserError
from handlers.wizard import DONE, Stay, not_here

CAT = "pl.cat."


def categories_reply(text: str, selected: list[str]) -> Reply:
    choices = [
        Choice(("✓ " if key in selected else "") + texts.CATEGORY_NAMES[key], CAT + key)
        for key in categories.CATEGORIES
    ]
    choices.append(Choice(texts.LABEL_DONE, DONE))
    if selected:
        text += "\n" + texts.CATEGORIES_CHOSEN.format(groups=categories.labels(selected))
    return Reply(text, tuple(choices))


def accept_categories(key: str):
    """Toggle with buttons then "Chọn xong", or type names / numbers ("dv, sv", "1 5") at once."""

    async def accept(ctx: Context, data: dict, text: str, choice: str | None) -> dict:
        selected = list(data.get("sel") or [])
        if choice is not None:
            if choice.startswith(CAT) and choice[len(CAT):] in categories.CATEGORIES:
                cat = choice[len(CAT):]
                selected = [k for k in selected if k != cat] if cat in selected else [*selected, cat]
                raise Stay({"sel": categories.sort_keys(selected)})
            if choice == DONE:
                if not selected:
                    raise UserError(texts.CATEGORY_NONE_CHOSEN)
                return {key: categories.sort_keys(selected)}
            raise not_here(texts.CATEGORY_NONE_CHOSEN if not selected else "")
        try:
            return {key: categories.match_categories(text)}
        except (categories.CategoryError, categories.CategoryEmpty) as err:
            raise UserError(err.text) from None

    return accept
