"""The knowledge base (YAML data) and its search.

    from knowledge import KnowledgeBase
    kb = KnowledgeBase.load()            # the packaged default, or a path (CHIBOT_KB_PATH)
    answer = kb.answer("thoi gian du bi bao lau")
"""

from knowledge.model import Answer, Entry, KnowledgeBaseError
from knowledge.search import Hit, KnowledgeBase, SearchSettings

__all__ = ["Answer", "Entry", "Hit", "KnowledgeBase", "KnowledgeBaseError", "SearchSettings"]
