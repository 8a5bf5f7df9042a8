"""The mini app's pages in Debian's chromium, driven by Playwright (pytest-playwright).

One browser per test module, a fresh context per test (pytest-playwright's `context` and
`page`), 390×844 as a phone shows a Mini App. Playwright's own browser download is not used:
the launch points at the system's chromium. Without it every test here is skipped with one
line saying how to install it; under CI=true that skip fails the run instead, as
the PostgreSQL tests do (tests/engines.py).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from playwright.sync_api import Browser, BrowserType, Playwright, sync_playwright

from tests.browser.live import Live, LoopThread

SKIP_REASON = (
    "chromium missing: the browser tests (tests/browser/) need Debian's chromium package "
    "(apt-get install chromium)"
)
_LEFT_OUT = pytest.StashKey[int]()
VIEWPORT = {"width": 390, "height": 844}
SCREENS = Path(os.environ.get("BROWSER_SCREENS_DIR", Path(__file__).parent / "screens"))


def _chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without chromium (and outside CI) the browser tests are left out and the run ends
    with one line saying so, instead of a SKIPPED line per test."""
    if _chromium_path() is not None or _under_ci():
        return
    here = Path(__file__).parent
    left_out = [item for item in items if here in item.path.parents]
    if not left_out:
        return
    items[:] = [item for item in items if here not in item.path.parents]
    config.hook.pytest_deselected(items=left_out)
    config.stash[_LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    left_out = config.stash.get(_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(f"SKIPPED {left_out} browser tests: {SKIP_REASON}", yellow=True)


def chromium() -> str:
    """The system chromium's path; else a skip saying how to install it, or under CI=true a
    failure."""
    found = _chromium_path()
    if found is None:
        if _under_ci():
            pytest.fail(f"CI=true and {SKIP_REASON}", pytrace=False)
        pytest.skip(SKIP_REASON)
    return found


def _fontconfig(folder: Path) -> Path:
    """The system's fonts plus the NanumGothic files koreanize-matplotlib ships: a fresh
    Debian has no Korean font, and a screenshot of tofu boxes shows nothing."""
    # Found, not imported: importing it restyles matplotlib and warns.
    spec = importlib.util.find_spec("koreanize_matplotlib")
    assert spec is not None and spec.submodule_search_locations
    nanum = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{nanum}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n"
        "  <alias><family>sans-serif</family><prefer><family>NanumGothic</family></prefer>"
        "</alias>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="session")
def base_url() -> None:
    """pytest-playwright's own base_url fixture is an instance method, which pytest 9 warns
    about (an error here); the tests open full URLs (`live.url()`), so none is needed."""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    fonts = _fontconfig(tmp_path_factory.mktemp("fonts"))
    return {
        **browser_type_launch_args,
        "executable_path": chromium(),
        # As root chromium refuses to start without this; the pages are our own.
        "args": ["--no-sandbox"],
        "headless": True,
        "env": {**os.environ, "FONTCONFIG_FILE": str(fonts)},
    }


@pytest.fixture(scope="module")
def browser_context_args() -> dict[str, Any]:
    # Ours whole: pytest-playwright's reads the session's playwright for device presets, which
    # the module-scoped one below replaces; no device, base URL or recording is used here.
    # A Korean phone: the time and date pickers speak Korean as they would in Telegram.
    return {
        "viewport": VIEWPORT,
        "device_scale_factor": 1,
        "locale": "ko-KR",
        "timezone_id": "Asia/Seoul",
    }


# Playwright's sync API keeps an event loop running on the main thread while it is started.
# pytest-playwright starts it for the whole session, so every async test that ran after a
# browser test in the same process failed ("Cannot run the event loop while another loop is
# running"). Started per module instead, it is stopped before the next module's tests.
@pytest.fixture(scope="module")
def playwright(_pw_api_request_contexts: Any) -> Iterator[Playwright]:
    started = sync_playwright().start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return cast(BrowserType, getattr(playwright, browser_name))


@pytest.fixture(scope="module")
def launch_browser(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType
) -> Callable[..., Browser]:
    def launch(**kwargs: Any) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    launched = launch_browser()
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def loop_thread() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.close()


@pytest.fixture
def live(loop_thread: LoopThread, tmp_path: Path) -> Iterator[Live]:
    """The whole bot and the mini app's server for one test."""
    running = Live(loop_thread, tmp_path).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def screens() -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS
