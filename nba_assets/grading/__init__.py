"""Grading: every pick against what happened, and each system's record."""
