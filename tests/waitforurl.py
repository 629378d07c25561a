"""Wait until URL answers (at most 600 s: the block may install first), then stop the process group PID: a served doc block.

Usage: python3 waitforurl.py URL PID. Exit 0 if the URL answered with a 2xx/3xx status.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import urllib.error
import urllib.request


def main(url: str, pid: int) -> int:
    deadline = time.monotonic() + 600
    status = 1
    try:
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status < 400:
                        status = 0
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                print(f"the server stopped before {url} answered", file=sys.stderr)
                return 1
            time.sleep(0.5)
        else:
            print(f"{url} did not answer within 600 s", file=sys.stderr)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
