"""The error raised when legal documents or knowledge entries are refused as they are built."""

from __future__ import annotations

from vss_care_core.errors import DefinitionError

__all__ = ["KnowledgeDataError"]


class KnowledgeDataError(DefinitionError):
    """A registry of legal documents, a knowledge base or its wording tables is not valid.

    Like every :class:`~vss_care_core.errors.DefinitionError` it is a ``ValueError`` and lists
    every problem found in ``problems``, so that the data can be fixed in one pass.
    """
