#!/usr/bin/env python3
"""Run a command with COUNT descriptors already open (on /dev/null).

    fdfill.py COUNT COMMAND [ARG...]

The command inherits them, so every descriptor it opens itself gets a
number above COUNT + 2: with COUNT 1100, its sockets are >= 1024, where a
select() on them aborts a _FORTIFY_SOURCE build ("bit out of range").
"""
import os
import sys


def main(a):
    if len(a) < 2:
        sys.exit(__doc__)
    for _ in range(int(a[0])):
        fd = os.open("/dev/null", os.O_RDONLY)
        os.set_inheritable(fd, True)
    os.execvp(a[1], a[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
