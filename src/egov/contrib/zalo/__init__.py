"""Zalo Notification Service (ZNS) adapter and its simulator."""
