"""Set translations in a .po file and clear their fuzzy flags.

Usage: python scripts/po_set.py locale/en/LC_MESSAGES/django.po "msgid=msgstr" ...
       (for a plural entry: "msgid=singular form|||plural form";
        for a msgid that contains "=": "msgid ==> msgstr")
       python scripts/po_set.py locale/nb/LC_MESSAGES/django.po --copy-untranslated
--copy-untranslated fills every empty or fuzzy msgstr with its msgid (for nb, whose msgids are
the Norwegian source text). Entries are the blank-line separated blocks of the file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def parse(block: str) -> tuple[list[str], list[tuple[str, str]]]:
    comments, fields = [], []
    for line in block.splitlines():
        if line.startswith("#"):
            comments.append(line)
        elif m := FIELD.match(line):
            fields.append((m.group(1), m.group(2)[1:-1]))
        elif line.startswith('"') and fields:
            key, value = fields[-1]
            fields[-1] = (key, value + line[1:-1])
    return comments, fields


def render(comments: list[str], fields: list[tuple[str, str]]) -> str:
    return "\n".join([*comments, *(f'{k} "{v}"' for k, v in fields)])


def main() -> None:
    path = Path(sys.argv[1])
    args = sys.argv[2:]
    copy = "--copy-untranslated" in args
    # "msgid=msgstr", or "msgid ==> msgstr" when the msgid itself contains "=".
    wanted = dict(
        a.split(" ==> ", 1) if " ==> " in a else a.split("=", 1)
        for a in args
        if "=" in a and not a.startswith("--")
    )
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    out = []
    for block in blocks:
        comments, fields = parse(block)
        values = dict(fields)
        msgid = values.get("msgid", "")
        if not msgid:
            out.append(block)
            continue
        fuzzy = any(c.startswith("#,") and "fuzzy" in c for c in comments)
        strs = [k for k, _ in fields if k.startswith("msgstr")]
        empty = any(not values[k] for k in strs)
        if msgid in wanted:
            singular, _sep, plural = wanted[msgid].partition("|||")
            new = {k: (plural if k != "msgstr[0]" and plural else singular) for k in strs}
        elif copy and (fuzzy or empty):
            plural = values.get("msgid_plural", msgid)
            new = {k: (msgid if k in ("msgstr", "msgstr[0]") else plural) for k in strs}
        else:
            out.append(block)
            continue
        comments = [c for c in comments if not c.startswith("#|")]
        comments = [
            re.sub(r",? ?fuzzy,?", "", c).rstrip() if c.startswith("#,") else c for c in comments
        ]
        comments = [c for c in comments if c not in ("#,", "#")]
        fields = [(k, new.get(k, v)) for k, v in fields]
        out.append(render(comments, fields))
    path.write_text("\n\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
