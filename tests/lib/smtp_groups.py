#!/usr/bin/env python3
"""A strict RFC 2920 SMTP server on loopback that records command groups.

    smtp_groups.py PORT TRANSCRIPT MSGDIR [--no-pipelining] [--size=N]

With PIPELINING announced it answers nothing until a group is complete:
a group ends with a command that RFC 2920 3.1 allows only last (EHLO,
HELO, DATA, QUIT, NOOP, ...), so a client that waits for an answer in
the middle of a group waits for ever (and fails its own timeout). Message
content and its "." belong to the group they are in. Without PIPELINING
each command is answered at once. The transcript has one line per group
sent by the client ("C: MAIL FROM:<a> | RCPT TO:<b> | DATA") and one per
answer group ("S: 250 | 250 | 354"); content shows as "<N bytes>", ".".
Each message received is written, unstuffed, to MSGDIR/N.eml.

Faults by address, so one session can hit every stage:
  sender containing "mail5"   -> 554 5.7.1 to MAIL
  rcpt containing "rcpt4"     -> 450 4.2.0 to RCPT
  rcpt containing "rcpt5"     -> 550 5.1.1 to RCPT
  rcpt containing "data5"     -> 554 5.6.0 to DATA
  rcpt containing "eod4"      -> 451 4.3.0 after the data
  rcpt containing "eod5"      -> 550 5.7.1 after the data
  rcpt containing "drop"      -> the connection is closed after the data
DATA without a valid RCPT gets 554 5.5.1, MAIL inside a transaction 503.
"""
import os
import socket
import sys

ENDERS = ("EHLO", "HELO", "DATA", "QUIT", "NOOP", "VRFY", "EXPN", "TURN",
          "STARTTLS", "AUTH")


class Session:
    def __init__(self, conn, log, msgdir, pipelining, counter, size):
        self.conn = conn
        self.f = conn.makefile("rb")
        self.log = log
        self.msgdir = msgdir
        self.pipelining = pipelining
        self.counter = counter
        self.size = size
        self.started = False	# a probe that sends nothing leaves no trace
        self.reset()

    def note(self, line):
        if not self.started:
            self.started = True
            self.log.write("-- session\nS: 220\n")
        self.log.write(line + "\n")
        self.log.flush()

    def reset(self):
        self.sender = None
        self.rcpts = []
        self.rcpt_flags = ""

    def answer(self, cmd):
        verb = cmd.split(" ", 1)[0].upper()
        arg = cmd[len(verb):]
        if verb in ("EHLO", "HELO"):
            self.reset()
            if verb == "HELO":
                return "250 localhost"
            ext = ["250-localhost", "250-ENHANCEDSTATUSCODES",
                   "250-8BITMIME"]
            if self.pipelining:
                ext.append("250-PIPELINING")
            ext.append("250 SIZE %d" % self.size)
            return "\r\n".join(ext)
        if verb == "MAIL":
            if self.sender is not None:
                return "503 5.5.1 nested MAIL command"
            if "mail5" in arg:
                return "554 5.7.1 sender refused"
            self.sender = arg
            return "250 2.1.0 ok"
        if verb == "RCPT":
            if self.sender is None:
                return "503 5.5.1 need MAIL"
            if "rcpt4" in arg:
                return "450 4.2.0 try later"
            if "rcpt5" in arg:
                return "550 5.1.1 no such user"
            self.rcpts.append(arg)
            self.rcpt_flags += arg
            return "250 2.1.5 ok"
        if verb == "DATA":
            if not self.rcpts:
                return "554 5.5.1 no valid recipients"
            if "data5" in self.rcpt_flags:
                self.reset()
                return "554 5.6.0 data refused"
            return "354 go on"
        if verb == "RSET":
            self.reset()
            return "250 2.0.0 ok"
        if verb == "NOOP":
            return "250 2.0.0 ok"
        if verb == "QUIT":
            return "221 2.0.0 bye"
        return "502 5.5.2 not implemented"

    def end_of_data(self, content):
        self.counter[0] += 1
        with open(os.path.join(self.msgdir, "%d.eml" % self.counter[0]),
                  "wb") as out:
            out.write(content)
        flags = self.rcpt_flags
        self.reset()
        if "drop" in flags:
            return None
        if "eod4" in flags:
            return "451 4.3.0 local trouble"
        if "eod5" in flags:
            return "550 5.7.1 message refused"
        return "250 2.0.0 queued"

    def readline(self):
        line = self.f.readline()
        if not line:
            raise EOFError
        return line

    def content(self):
        """The data up to ".", unstuffed; its size on the wire."""
        data, size = b"", 0
        while True:
            line = self.readline()
            size += len(line)
            if line == b".\r\n":
                return data, size
            if line.startswith(b"."):
                line = line[1:]
            data += line

    def send(self, replies):
        self.conn.sendall(("\r\n".join(replies) + "\r\n").encode())
        if self.started:
            self.note("S: " + " | ".join(r.split("\r\n")[-1][:3]
                                         for r in replies))

    def run(self):
        self.send(["220 localhost ESMTP groups"])
        group, replies = [], []
        while True:
            cmd = self.readline().decode("ascii", "replace").rstrip("\r\n")
            group.append(cmd)
            reply = self.answer(cmd)
            replies.append(reply)
            verb = cmd.split(" ", 1)[0].upper()
            if reply.startswith("354"):
                self.note("C: " + " | ".join(group))
                self.send(replies)
                group, replies = [], []
                data, size = self.content()
                group += ["<%d bytes>" % size, "."]
                reply = self.end_of_data(data)
                if reply is None:
                    self.note("C: " + " | ".join(group))
                    self.note("S: (closed)")
                    return
                replies.append(reply)
                # Pipelining: the group goes on after the "." until an
                # ender; else the answer goes at once.
                verb = "." if self.pipelining else "DATA"
            if self.pipelining and verb not in ENDERS:
                continue
            self.note("C: " + " | ".join(group))
            self.send(replies)
            group, replies = [], []
            if verb == "QUIT":
                return


def main():
    port, transcript, msgdir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    pipelining = "--no-pipelining" not in sys.argv[4:]
    size = 10240000
    for a in sys.argv[4:]:
        if a.startswith("--size="):
            size = int(a[7:])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(8)
    counter = [0]
    with open(transcript, "a") as log:
        while True:
            conn, _ = srv.accept()
            sess = Session(conn, log, msgdir, pipelining, counter, size)
            try:
                sess.run()
            except (EOFError, OSError):
                if sess.started:
                    sess.note("-- dropped by the client")
            try:
                conn.shutdown(socket.SHUT_RDWR)  # makefile() holds the fd
            except OSError:
                pass
            conn.close()


if __name__ == "__main__":
    main()
