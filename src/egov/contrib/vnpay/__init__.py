"""VNPAY payment gateway, protocol version 2.1.0, and a simulator of its payment page."""
