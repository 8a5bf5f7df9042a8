"""HTTP entry points of webhook mode: Telegram's POSTs in, health out."""
