"""The staff desk as a Telegram Mini App: static pages and a small JSON API (openapi.yaml)."""
