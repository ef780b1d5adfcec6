"""Readers that turn deployment files into located settings and deployments."""
