"""One TLS context for every HTTP client of the process.

httpx builds a fresh SSLContext for each client and loads the whole CA bundle into it (~30 ms
of CPU each). The bot has three clients per start (PTB's two, the gateway's) plus the
broadcast courier's, and a restart builds them again: one context, loaded once, serves them
all. An SSLContext is safe to share between clients and event loops."""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def client_context() -> ssl.SSLContext:
    """httpx's default verification (certifi's CA bundle, SSL_CERT_FILE/DIR honoured)."""
    return httpx.create_ssl_context()
