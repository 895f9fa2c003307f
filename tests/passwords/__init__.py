"""Tests for the password audit (safetykit.passwords) and the account catalogue."""
