"""Clusters: ideas grouped under an editable title."""
