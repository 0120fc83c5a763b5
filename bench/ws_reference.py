"""The physical reference of bench/live_board.py: a minimal broadcast server written with the `websockets` library
alone (no Django, no database, no channel layer).

Viewers connect to `/board`; the submitter connects to `/marks` and sends one JSON message per mark. The server
numbers the marks in arrival order (seq 1, 2, …) and, every `--tick` seconds (bench/live_board.py passes the frame
interval our server showed), broadcasts one frame carrying every mark since the last tick, shaped like our `delta`
frame (`{"type": "delta", "epoch", "seq", "deltas": [{seq, kind, workstation_no, aspect, value, …}]}`), encoded
once for all viewers (`websockets.broadcast`). A viewer's first frame is a small snapshot with the current seq.
This is what a broadcast costs with nothing else to do: the floor our server is compared with.

`python bench/ws_reference.py --port 8243 --tick 0.1`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast, serve

EPOCH = "reference"


class Board:
    def __init__(self) -> None:
        self.viewers: set[ServerConnection] = set()
        self.pending: list[dict[str, Any]] = []
        self.seq = 0

    async def handler(self, ws: ServerConnection) -> None:
        path = ws.request.path if ws.request is not None else ""
        if path.startswith("/marks"):
            async for message in ws:
                self.seq += 1
                self.pending.append({"seq": self.seq, "kind": "mark", **json.loads(message)})
            return
        await ws.send(json.dumps({"type": "snapshot", "epoch": EPOCH, "seq": self.seq, "skills": []}))
        self.viewers.add(ws)
        try:
            await ws.wait_closed()
        finally:
            self.viewers.discard(ws)

    async def ticker(self, tick: float) -> None:
        while True:
            await asyncio.sleep(tick)
            if self.pending:
                deltas, self.pending = self.pending, []
                broadcast(self.viewers, json.dumps({"type": "delta", "epoch": EPOCH, "seq": deltas[-1]["seq"],
                                                    "deltas": deltas}))


async def main(port: int, tick: float) -> None:
    board = Board()
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with serve(board.handler, "127.0.0.1", port, backlog=4096, max_queue=None):
        ticker = asyncio.ensure_future(board.ticker(tick))
        await stop
        ticker.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8243)
    parser.add_argument("--tick", type=float, default=0.1)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.tick))
