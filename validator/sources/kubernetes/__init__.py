"""Kubernetes: manifests, kustomize builds, and the objects each workload's environment comes from.

Imports go one way: `objects` (Secrets, ConfigMaps, autoscalers) <- `podenv` (a container's
environment) <- `manifests` (one file's objects and workloads) <- `pairing` (which objects a
workload uses, and `link`, which makes the deployments once every file is read).
"""
