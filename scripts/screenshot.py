"""Screenshot pages of a running forum in headless Chromium, at desktop and phone width.

Usage: python scripts/screenshot.py URL_PATH [URL_PATH ...] [--login EMAIL:PASSWORD] [--out DIR]
       [--language en]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--login", default="")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--submit", action="store_true", help="Submit the first form empty.")
    parser.add_argument("--language", default="", help="Set the language cookie (nb or en).")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            if args.language:
                page.context.add_cookies(
                    [{"name": "django_language", "value": args.language, "url": args.base}]
                )
            if args.login:
                email, password = args.login.split(":", 1)
                page.goto(f"{args.base}/konto/login/")
                page.fill("input[name=login]", email)
                page.fill("input[name=password]", password)
                page.click("main button[type=submit]")
            for path in args.paths:
                page.goto(f"{args.base}{path}")
                if args.submit:
                    page.click("main form button[type=submit]")
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "front"
                suffix = f"-{args.language}" if args.language else ""
                page.screenshot(path=str(out / f"{slug}-{name}{suffix}.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
