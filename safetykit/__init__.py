"""safetykit: a calm, private command-line safety toolkit."""

__version__ = "0.1.0"
