"""Driving adapters: translate HTTP requests and Lambda events into use-case calls and back. Nothing else."""
