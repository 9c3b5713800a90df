"""How each figure changes from 1/100 of the data set to the full one (benchmark c).

    python bench/scaling_bench.py [--small reformforum_small] [--full reformforum_national]

Runs bench/pages_bench.py on both databases (made by ``manage.py generate_load_data
--size small`` and ``--size national``) and prints, per page and viewer, p50 and SQL
queries on each and the ratio of the p50s. The target: no ratio above 2, and the same
number of queries.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(db: str, rounds: int) -> dict[tuple[str, str], dict]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, str(HERE / "pages_bench.py"), "--db", db, "--rounds", str(rounds),
             "--json", out.name],
            check=True,
        )  # fmt: skip
        rows = json.loads(Path(out.name).read_text())["rows"]
    return {(r["page"], r["viewer"]): r for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", default="reformforum_small")
    parser.add_argument("--full", default="reformforum_national")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    small = run(args.small, args.rounds)
    full = run(args.full, args.rounds)
    print(f"\nScaling: {args.small} (1/100) -> {args.full} (national)")
    print(
        f"{'page':<17} {'viewer':<23} {'p50 1/100':>9} {'p50 full':>9} {'ratio':>6} {'SQL':>7}"
        f" {'calls ratio':>11}"
    )
    for key, row in full.items():
        before = small[key]
        ratio = row["p50"] / before["p50"] if before["p50"] else float("nan")
        calls = row["calls"] / before["calls"] if before["calls"] else float("nan")
        print(
            f"{key[0]:<17} {key[1]:<23} {before['p50']:9.1f} {row['p50']:9.1f} {ratio:6.2f} "
            f"{before['queries']:>3}/{row['queries']:<3} {calls:11.2f}"
        )
    print("(calls ratio: Python function calls per request, full / 1/100; not machine speed)")


if __name__ == "__main__":
    main()
