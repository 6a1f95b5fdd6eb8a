"""The HTML report opened in real headless Chromium: it renders offline and navigates into a problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from runfactory import CRASH, WRONG, canonical, make_run

from codexlab.reports.browser import find_chromium

CLI = [sys.executable, "-m", "codexlab.cli.main"]
T0, T1 = "HumanEval/0", "HumanEval/2"

needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="chromium/chromedriver not installed (run `make browser`: Debian chromium-driver)"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    a = make_run(tmp / "a", {T0: [canonical(T0), WRONG, CRASH], T1: [WRONG, canonical(T1), "    return x +\n"]})
    b = make_run(tmp / "b", {T0: [WRONG, WRONG, WRONG], T1: [canonical(T1)] * 3})
    out = tmp / "report.html"
    subprocess.run([*CLI, "report", str(a), "--compare", str(b), "--out", str(out)], check=True, capture_output=True)
    return out


def test_report_is_self_contained(report: Path) -> None:
    text = report.read_text()
    assert "<script src" not in text and "<link" not in text and "http://" not in text and "https://" not in text
    assert text.count("data:image/png;base64,") >= 4
    assert "ValueError" in text and "AssertionError" in text  # failing details are in the drill-down


@needs_chromium
def test_report_renders_and_navigates_in_headless_chromium(report: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from codexlab.reports.browser import headless_chromium

    with headless_chromium() as driver:
        driver.get(report.as_uri())
        assert driver.title.startswith("codexlab report")
        overview = driver.find_element(By.ID, "overview")
        assert overview.is_displayed()
        assert "pass@1" in driver.find_element(By.ID, "passk").text
        assert "Comparison" in driver.find_element(By.ID, "comparison").text
        images = driver.find_elements(By.CSS_SELECTOR, ".plots img")
        assert images and all(driver.execute_script("return arguments[0].naturalWidth", i) > 0 for i in images)
        # into a problem: the overview hides, the problem shows its prompt and each sample's code and verdict
        driver.find_element(By.LINK_TEXT, T0).click()
        view = driver.find_element(By.ID, "problem-HumanEval-0")
        # the view switches in a hashchange handler, a task of its own: wait for it, not for a fixed time
        WebDriverWait(driver, 30).until(lambda d: view.is_displayed() and not overview.is_displayed())
        assert driver.current_url.endswith("#problem-HumanEval-0")
        assert "has_close_elements" in view.find_element(By.CSS_SELECTOR, "pre.prompt").text
        samples = view.find_elements(By.CSS_SELECTOR, "details.sample")
        assert len(samples) == 3
        assert [s.find_element(By.CSS_SELECTOR, ".badge").text for s in samples] == ["passed", "failed", "error"]
        assert "ValueError" in samples[2].text
        assert not driver.find_element(By.ID, "problem-HumanEval-2").is_displayed()
        # and back, with the browser's own back button
        driver.back()
        WebDriverWait(driver, 30).until(lambda d: overview.is_displayed() and not view.is_displayed())
        # the filter narrows the problem list
        driver.find_element(By.ID, "filter").send_keys("/2")
        rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#problems tr[data-rate]") if r.is_displayed()]
        assert [r.text.split()[0] for r in rows] == [T1]
