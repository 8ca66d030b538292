"""Pantau: supervising the quality of public services in Indonesia."""
