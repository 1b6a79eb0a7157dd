"""Local priority suggestion: MiniLM embeddings, a small committed head, and cues that say why."""

from apps.assist.priority.service import PriorityInput, suggest_priorities, suggest_priority

__all__ = ["PriorityInput", "suggest_priorities", "suggest_priority"]
