"""Helpers for the studio's browser journey: Debian's Chromium via Playwright, screenshots
of every studio page at 1280 and 375 px wide, axe-core injected into each page."""

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from browser_support import DESKTOP, PHONE
from playwright.async_api import Browser, BrowserContext, Page, expect

SCREENSHOTS = Path("/tmp/studio-screenshots")
AXE_DIR = Path(__file__).resolve().parent.parent / "clients" / "axe"
BAD_IMPACTS = ("serious", "critical")
NPM_CI_TIMEOUT_SECONDS = 180


def install_axe() -> str:
    """axe-core from tests/clients/axe (npm ci from the committed lock file), as source."""
    assert shutil.which("npm"), "npm is needed to install axe-core"
    if not (AXE_DIR / "node_modules").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=AXE_DIR,
            check=True,
            capture_output=True,
            timeout=NPM_CI_TIMEOUT_SECONDS,
        )
    return (AXE_DIR / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def cms_command(database_url: str, *args: str, stdin: str = "") -> str:
    """Run the `cms` command line against the test database; its output."""
    env = {"CMS_DATABASE_URL": database_url, "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cms"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@dataclass
class Session:
    """One person's browser: a context whose pages report script errors and CSP refusals."""

    context: BrowserContext
    problems: list[str] = field(default_factory=list)

    async def new_page(self) -> Page:
        page = await self.context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.problems.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page


async def new_session(browser: Browser, viewport: dict[str, int] = DESKTOP) -> Session:
    context = await browser.new_context(
        viewport=viewport, locale="en-GB", timezone_id="Europe/Paris"
    )
    return Session(context)


async def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    await page.goto(base_url + "/studio/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@dataclass
class Inspector:
    """Looks at studio pages the way people and assistive technology do: a screenshot at
    each width, and axe-core's serious or critical findings (none allowed)."""

    axe_source: str
    folder: Path = SCREENSHOTS
    shots: list[str] = field(default_factory=list)
    violations: dict[str, list[str]] = field(default_factory=dict)

    async def check(self, page: Page, name: str) -> None:
        """Screenshot ``page`` as it is (its width), then run axe on it."""
        width = page.viewport_size["width"] if page.viewport_size else 0
        shot = f"{name}-{width}.png"
        self.folder.mkdir(parents=True, exist_ok=True)
        await page.evaluate("window.scrollTo(0, 0)")
        await page.screenshot(path=self.folder / shot, full_page=True)
        self.shots.append(shot)
        await page.evaluate(self.axe_source)
        found = await page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations
                    .filter(v => ["serious", "critical"].includes(v.impact))
                    .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
            }"""
        )
        if found:
            self.violations[shot] = found

    async def at_both_widths(self, page: Page, name: str) -> None:
        """This page at 1280 px, then the same page (same state) at 375 px."""
        await page.set_viewport_size(DESKTOP)
        await self.check(page, name)
        await page.set_viewport_size(PHONE)
        await page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
        await self.check(page, name)
        await page.set_viewport_size(DESKTOP)
