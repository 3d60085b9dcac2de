"""Dash dashboard over a workspace's release/ folder (public tier only)."""
