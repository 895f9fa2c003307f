"""Noto Sans (SIL Open Font License 1.1, see OFL.txt and README.txt here), the PDF plan's font.

Data only: ``safetykit.render.pdf`` finds these files next to this module.
"""
