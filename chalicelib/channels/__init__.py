"""Channels: one package per platform; inbound.py verifies and normalises, outbound.py sends."""
