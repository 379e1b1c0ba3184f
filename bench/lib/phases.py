#!/usr/bin/env python3
"""Run one command and time it, with the moment a marker line appears.

    phases.py OUT MARKER CMD [ARG...]

Runs CMD with its standard output in OUT.out and its standard error in
OUT.err. MARKER (a regular expression, or "" for none) is looked for in
the standard error as it comes: the time from the start to the first
line it matches is the first phase. Prints one line,

    WALL MARK RSS

the wall time in seconds, the seconds to the marker ("-" when there is
no marker or it never appeared), and the peak resident set of CMD in
KiB (from wait4). The exit status is CMD's.
"""
import os
import re
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 64
    out, marker, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    pat = re.compile(marker.encode()) if marker else None
    mark = None
    with open(out + ".out", "wb") as so, open(out + ".err", "wb") as se:
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdout=so, stderr=subprocess.PIPE)
        for line in p.stderr:
            if pat is not None and mark is None and pat.search(line):
                mark = time.monotonic() - start
            se.write(line)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - start
        p.returncode = os.waitstatus_to_exitcode(status)
    print("%.3f %s %d" % (wall, "-" if mark is None else "%.3f" % mark,
                          ru.ru_maxrss))
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
