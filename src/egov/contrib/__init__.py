"""Adapters to systems outside egov, one package per system, each with a simulator."""
