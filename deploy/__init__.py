"""Deployment: nginx template, compose, Kubernetes, and the local cluster (deploy/cluster.py)."""
