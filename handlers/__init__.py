"""Telegram in, Telegram out: one module per feature, each ending with its FEATURE.

What a feature declares (its handlers, flows, due work and start-up work) is described in
handlers/feature.py; the composition root (app/features.py) lists the features in order and
registers them. Nothing here imports the root or registers anything by itself.
"""
