"""The one catalogue of user-facing Vietnamese text.

Every message a user can see is here, so wording, tone ("đồng chí", official terms) and
diacritics can be reviewed in one place. Templates use str.format placeholders.
"""

from __future__ import annotations

# --- general -------------------------------------------------------------------------------

# --- knowledge base (knowledge/) -----------------------------------------------------------
