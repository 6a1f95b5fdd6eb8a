"""Headless Chromium through selenium: to check a report renders and to take screenshots of it.

Needs Debian's `chromium` and `chromium-driver` (the Makefile's `browser` target installs them) and the
`report` extra (selenium). The browser starts isolated: fresh profile, no network services, no sandbox (root).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from codexlab.errors import CodexlabError

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


def find_chromium() -> tuple[str, str] | None:
    """(browser, driver) executables, or None when Chromium is not installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextmanager
def headless_chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A selenium WebDriver for a throwaway headless Chromium; quits and removes its profile on exit."""
    found = find_chromium()
    if found is None:
        raise CodexlabError("no chromium/chromedriver: run `make browser` (Debian packages chromium, chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="codexlab-chromium-") as profile:
        opts = webdriver.ChromeOptions()
        opts.binary_location = found[0]
        for flag in CHROMIUM_FLAGS:
            opts.add_argument(flag)
        opts.add_argument(f"--user-data-dir={profile}")
        opts.add_argument(f"--window-size={width},{height}")
        driver = webdriver.Chrome(service=Service(executable_path=found[1]), options=opts)
        try:
            yield driver
        finally:
            driver.quit()


def screenshot(html_file: Path, png: Path, fragment: str = "", height: int = 900) -> Path:
    """Open the report (optionally at #fragment) and save a PNG of the window."""
    with headless_chromium(height=height) as driver:
        driver.get(html_file.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
        png.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(png))
    return png
