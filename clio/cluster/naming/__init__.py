"""Naming, in one place: which phrases may name a cluster, c-TF-IDF keywords, composed names (also the rule the
release gate recomposes names by), LLM names, and naming every level of the hierarchy."""
