"""Cluster stage: base clusters (UMAP + HDBSCAN), the hierarchy above them, and naming every level."""
