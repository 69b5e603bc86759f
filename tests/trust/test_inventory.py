"""authready inventory: many repo checkouts, every attestation verified, one report (text, markdown,
JSON, and a self-contained HTML page tested in a real headless Chromium)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.repo import ROOT, GO_ANSWERS, run_git
from tests.helpers.signing import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def repos(signed, tmp_path):
    """Three checkouts: the signed repo (GO, plus a signed GO WITH CONDITIONS), a clone whose code changed
    after the review (FAIL), and a folder listed in a file."""
    cond = signed.record({**GO_ANSWERS, "expiry": "partly"}, name="payments")
    signed.sign(cond, "alice")
    signed.sign(cond, "bob")
    run_git(signed.repo, "add", ".")
    run_git(signed.repo, "commit", "-qm", "payments review")
    changed = tmp_path / "changed"
    subprocess.run(["git", "clone", "-q", str(signed.repo), str(changed)], check=True)
    run_git(changed, "config", "user.email", "alice@example.com")
    run_git(changed, "config", "user.name", "Alice")
    (changed / "src" / "auth.py").write_text("def login():\n    return True\n")
    run_git(changed, "commit", "-qam", "unreviewed change")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"# the org's repos\n{changed}\n\n")
    return signed.repo, changed, listing


def test_inventory_json_rows(repos, capsys):
    """One row per attestation per repo: verdict, signers, days left, open conditions, status and problems."""
    good, changed, listing = repos
    rc, out, err = cli(capsys, "inventory", str(good), str(listing), "--format", "json")
    assert rc == 1, err  # the changed clone fails
    rows = json.loads(out)["attestations"]
    assert len(rows) == 4
    by = {(Path(r["file"]).name, r["status"]) for r in rows}
    assert by == {("billing.toml", "pass"), ("payments.toml", "pass"), ("billing.toml", "FAIL"), ("payments.toml", "FAIL")}
    payments = next(r for r in rows if r["component"] == "payments" and r["status"] == "pass")
    assert payments["verdict"] == "GO WITH CONDITIONS" and payments["conditions"] and payments["signers"] == "2/2"
    assert 80 <= payments["days_left"] <= 90
    failed = [r for r in rows if r["status"] == "FAIL"]
    assert all(any("[code-changed]" in p for p in r["problems"]) for r in failed)
    assert json.loads(out)["summary"] == "4 attestation(s) in 1 repo(s): 2 passed, 2 failed"


def test_inventory_text_and_markdown(repos, capsys):
    good, changed, listing = repos
    rc, out, err = cli(capsys, "inventory", str(good))
    assert rc == 0 and out.splitlines()[0].split()[:3] == ["REPO", "COMPONENT", "VERDICT"]
    assert out.rstrip().endswith("2 attestation(s) in 1 repo(s): 2 passed, 0 failed")
    rc, out, err = cli(capsys, "inventory", str(good), str(changed), "--format", "markdown")
    assert rc == 1 and out.startswith("| repo | component | verdict |") and out.count("\n| ") == 4


def test_inventory_refuses_what_is_not_a_repo_list(tmp_path, capsys):
    rc, out, err = cli(capsys, "inventory", str(tmp_path / "nope"))
    assert rc == 2 and "no such folder or list file" in err and len(err.strip().splitlines()) == 1
    rc, out, err = cli(capsys, "inventory", str(tmp_path), "--format", "json")
    assert rc == 1 and json.loads(out)["attestations"][0]["problems"] == ["not a git repo"]


def test_inventory_html_is_escaped_and_self_contained(repos, capsys, tmp_path):
    good, changed, listing = repos
    page = tmp_path / "inventory.html"
    rc, out, err = cli(capsys, "inventory", str(good), str(listing), "--format", "html", "--out", str(page))
    html = page.read_text()
    assert rc == 1 and "<script>" in html and "http" not in html.replace("https://", "").split("<body>")[0]
    assert "src=" not in html and "href=" not in html  # no external assets
    rc, out, err = cli(capsys, "inventory", str(good), "--format", "html", "--out", str(page))
    assert rc == 2 and "already exists" in err


@pytest.mark.slow
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")
def test_inventory_html_sorts_in_a_real_browser(repos, capsys, tmp_path):
    """Headless Chromium (driven by Selenium) opens the page, sorts by expiry both ways, and a screenshot is taken."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    good, changed, listing = repos
    page = tmp_path / "inventory.html"
    assert cli(capsys, "inventory", str(good), str(listing), "--format", "html", "--out", str(page))[0] == 1
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,600"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    try:
        driver.get(page.as_uri())
        assert driver.find_element(By.ID, "summary").text.startswith("4 attestation(s)")

        def expiry_days() -> list[int]:
            cells = driver.find_elements(By.CSS_SELECTOR, "#inventory tbody tr td:nth-child(5)")
            return [int(c.text.rsplit("(", 1)[1].rstrip("d)")) for c in cells]

        driver.find_element(By.CSS_SELECTOR, 'th button[data-col="4"]').click()
        ascending = expiry_days()
        assert ascending == sorted(ascending) and ascending[0] < ascending[-1]
        driver.find_element(By.CSS_SELECTOR, 'th button[data-col="4"]').click()
        assert expiry_days() == sorted(ascending, reverse=True)
        header = driver.find_element(By.CSS_SELECTOR, "#inventory th:nth-child(5)")
        assert header.get_attribute("aria-sort") == "descending"
        # The README's picture: AUTHREADY_SCREENSHOTS=screenshots pytest tests/trust/test_inventory.py -k browser
        out = ROOT / os.environ["AUTHREADY_SCREENSHOTS"] if os.environ.get("AUTHREADY_SCREENSHOTS") else tmp_path
        shot = out / "inventory.png"
        driver.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        driver.quit()
