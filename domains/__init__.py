"""Domain taxonomies (validated YAML) and usage-weighted eval suites built from released clusters.

taxonomy.py  pydantic models + load_taxonomy (category -> subcategory -> task)
registry.py  DOMAINS name -> bundled YAML under taxonomies/; get_taxonomy(name or path)
suite.py     map released base clusters to task nodes; build_suite (usage-weighted, released text only)
export.py    write_suite: jsonl / Inspect AI / lm-eval files plus manifest.json; suite_artifact: the release's copy

Released clusters are read, and suites described, through the public types (`privacy.public`); domains never
imports clio.
"""
