"""Description enhancement through an LLM provider (Groq), behind a guard that rejects unusable answers."""

from apps.assist.enhance.service import enhance_description

__all__ = ["enhance_description"]
