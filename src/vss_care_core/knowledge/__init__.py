"""A knowledge base that cites the law: entries, suggestions, stale answers, citation checks.

- :class:`LegalRegistry`: the legal documents answers cite, with their dates of effect and what
  replaces what (shipped: :func:`default_legal_registry`);
- :class:`KnowledgeBase` of :class:`KnowledgeEntry` values: :meth:`~KnowledgeBase.suggest` the
  best entries in force for a question, :meth:`~KnowledgeBase.stale_entries` after a policy
  change, :meth:`~KnowledgeBase.publish` an approved answer;
- :func:`check_citations`: refuse an answer that cites a document not in force on its day.

The shipped entries (:func:`sample_knowledge_base`) are **samples** written for this library;
VSS's own reviewed answers must replace them.
"""

from vss_care_core.knowledge._base import (
    DEFAULT_SUGGESTIONS,
    KnowledgeBase,
    StaleEntry,
    Suggestion,
    check_citations,
    load_knowledge_base,
    sample_knowledge_base,
)
from vss_care_core.knowledge._citations import CitationProblem
from vss_care_core.knowledge._entries import Citation, KnowledgeEntry
from vss_care_core.knowledge._errors import KnowledgeDataError
from vss_care_core.knowledge._registry import (
    DocumentKind,
    LegalDocument,
    LegalRegistry,
    default_legal_registry,
    load_legal_registry,
)
from vss_care_core.knowledge._wording import Wording, default_wording

__all__ = [
    "DEFAULT_SUGGESTIONS",
    "Citation",
    "CitationProblem",
    "DocumentKind",
    "KnowledgeBase",
    "KnowledgeDataError",
    "KnowledgeEntry",
    "LegalDocument",
    "LegalRegistry",
    "StaleEntry",
    "Suggestion",
    "Wording",
    "check_citations",
    "default_legal_registry",
    "default_wording",
    "load_knowledge_base",
    "load_legal_registry",
    "sample_knowledge_base",
]
