"""The composition root: the one place the bot is put together from its parts.

- build.py — `build_application(settings, …)`: store, gateway port, services, every feature's
  handlers, due work and start-up work, the Bot API client. Real mode (polling), the console
  demo (sandbox/demo.py), the tests (tests/conftest.py) and the benchmarks all build here.
- features.py — FEATURES, the ordered list of what the bot can do; each feature declares its
  own part at the end of its module under handlers/ (handlers/feature.py).
- main.py — real mode: `run_bot.py real` serves until SIGINT/SIGTERM; `run_bot.py backup`.
- webhook.py — real mode with WEBHOOK_URL: BotRuntime's start-up path, receiving through a
  webhook into the inbox and running it with worker tasks.

Only this package imports both handlers/ and the wiring of bot/services (Backend, the
poller); bot/ never imports handlers/ (tests/unit/test_layers.py). Another way of running the
same bot (a worker that only runs due work) is one more module here, built by the same
function, as webhook.py is.
"""

from app.build import BotApplication, build_application

__all__ = ["BotApplication", "build_application"]
