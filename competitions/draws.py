"""Re-run a downloaded draw record with no database and no server (issue 9 item 15; DESIGN.md "Anonymity"):

    python -m competitions.draws verify RECORD.json

Prints whether the record's result is what its algorithm gives from its seed and inputs (the first differences
when not) and exits 0 when it is, 1 when it is not, 2 when the file cannot be read. The re-run is
`competitions.domain.draws.verify_record`, the function the platform itself uses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from competitions.domain.draws import verify_record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m competitions.draws", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="re-run a draw record (JSON) and compare its result")
    verify.add_argument("record", type=Path)
    args = parser.parse_args(argv)
    try:
        data = json.loads(args.record.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.record}: {exc}", file=sys.stderr)
        return 2
    check = verify_record(data)
    about = data.get("about", {}) if isinstance(data, dict) else {}
    label = " · ".join(str(about[k]) for k in ("event", "skill", "stage_label") if about.get(k))
    if check.ok:
        print(f"OK: {label or args.record} — the result is what {data['algorithm']} gives from the recorded seed")
        return 0
    print(f"MISMATCH: {label or args.record} — {check.problem}")
    for key, recorded, rerun in check.differences:
        print(f"  {key}: recorded {recorded!r}, re-run gives {rerun!r}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
