"""The bottom layer: the clock and the domain's small types. Imports nothing of the project.

Every other layer may import from here; nothing here imports from bot/, handlers/, store/,
linkage/ or sandbox/.
"""
