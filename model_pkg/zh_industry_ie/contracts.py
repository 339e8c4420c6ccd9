"""The data contracts every part of the project shares: one definition of each.

- the entity label set (``../shared/ANNOTATION.md``), in the order reports list it;
- the relation labels (their head/tail signatures live beside the Relation type in
  ``relations.py``, which re-exports these names);
- the ``doc.user_data`` keys that carry relations and document identity through DocBins.

Configs cannot import Python: where a config lists labels (``label_order``,
``entity_labels``) it repeats these, and a test checks that the shipped configs agree.
"""

from __future__ import annotations

ENTITY_LABELS: tuple[str, ...] = ("ORG", "GPE", "PARK", "PRODUCT", "MONEY", "QUANTITY")
RELATION_LABELS: tuple[str, ...] = ("LOCATED_IN", "PRODUCES", "CAPACITY", "INVESTS")

# doc.user_data keys (DocBin(store_user_data=True) keeps them).
RELATIONS_KEY = "zhie_relations"  # [[head_start, head_end, tail_start, tail_end, label, score], ...]
RELATION_SOURCES_KEY = "zhie_relation_sources"  # cue families per stored relation (weak labels)
DOC_KEY = "zhie_doc"  # document id, e.g. the seed file name or "inews-train-00123"
PARA_KEY = "zhie_para"  # paragraph index in the document (int)
SOURCE_KEY = "zhie_source"  # "seed" | "inews" | "user"
# doc.spans group of the weak labels: regions where a weaker source saw a name that the teacher
# did not label; the training reader can mark them unknown instead of O.
UNKNOWN_SPANS_KEY = "zhie_unknown"
# doc.user_data key: LAC's words [(start, end, tag), ...] over token indices, left by the LAC
# features layer at run time for zhie_rule_ner's lac_first sources.
LAC_WORDS_KEY = "zhie_lac_words"
