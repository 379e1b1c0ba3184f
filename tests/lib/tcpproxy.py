#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that can break the first connection on purpose.

    tcpproxy.py --port-file F --target PORT [--owner PID]
                [--cut-server-bytes N | --stall-server-bytes N |
                 --cut-on-client TEXT | --stall-on-client TEXT |
                 --pause-on-client TEXT]

It listens on a free port (written to F once it listens) and forwards to
127.0.0.1:PORT. The fault applies to the first connection only; later ones
pass through untouched, so a client that reconnects gets a working peer:

  --cut-server-bytes N    close both sides once N bytes came from the server
  --stall-server-bytes N  after N bytes from the server, forward nothing more
                          from it but keep the connection open (a hung peer)
  --cut-on-client TEXT    close both sides before forwarding a client chunk
                          that contains TEXT (e.g. " UID STORE ")
  --stall-on-client TEXT  forward nothing more from the client from the
                          chunk that contains TEXT on, but keep the
                          connection open (the client waits for an answer);
                          F.hit is created then, so a test knows the moment
  --pause-on-client TEXT  hold the first client chunk that contains TEXT:
                          create F.hit, wait until the test creates F.go
                          (at most 60 s), then forward it and go on as a
                          plain proxy (the test acts between two commands)

It exits when OWNER (default: the parent process) is gone, so a test that
dies leaves nothing behind.
"""
import argparse
import os
import socket
import sys
import threading
import time


def owner_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


class Link:
    def __init__(self, client, server, fault):
        self.client, self.server, self.fault = client, server, fault
        self.from_server = 0
        self.lock = threading.Lock()
        self.closed = False

    def close(self):
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for s in (self.client, self.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def server_to_client(self):
        kind, limit = self.fault
        try:
            while True:
                data = self.server.recv(65536)
                if not data:
                    break
                if kind in ("cut", "stall") and \
                        self.from_server + len(data) >= limit:
                    keep = max(0, limit - self.from_server)
                    self.client.sendall(data[:keep])
                    self.from_server += keep
                    if kind == "cut":
                        break
                    while self.server.recv(65536):
                        pass
                    return
                self.client.sendall(data)
                self.from_server += len(data)
        except OSError:
            pass
        self.close()

    def client_to_server(self):
        kind, text = self.fault
        try:
            while True:
                data = self.client.recv(65536)
                if not data:
                    break
                if kind == "client" and text in data:
                    break
                if kind == "pause-client" and text[0] in data:
                    open(text[1] + ".hit", "w").close()
                    for _ in range(1200):
                        if os.path.exists(text[1] + ".go"):
                            break
                        time.sleep(0.05)
                    kind = "none"
                if kind == "stall-client" and text[0] in data:
                    open(text[1], "w").close()
                    while self.client.recv(65536):
                        pass
                    break
                self.server.sendall(data)
        except OSError:
            pass
        self.close()


def serve(args, listener):
    faults = 1
    while owner_alive(args.owner):
        try:
            client, _ = listener.accept()
        except socket.timeout:
            continue
        try:
            server = socket.create_connection(("127.0.0.1", args.target), 5)
            server.settimeout(None)
        except OSError:
            client.close()
            continue
        fault = ("none", None)
        if faults > 0:
            faults -= 1
            if args.cut_server_bytes is not None:
                fault = ("cut", args.cut_server_bytes)
            elif args.stall_server_bytes is not None:
                fault = ("stall", args.stall_server_bytes)
            elif args.cut_on_client is not None:
                fault = ("client", args.cut_on_client.encode())
            elif args.pause_on_client is not None:
                fault = ("pause-client", (args.pause_on_client.encode(),
                                          args.port_file))
            elif args.stall_on_client is not None:
                fault = ("stall-client", (args.stall_on_client.encode(),
                                          args.port_file + ".hit"))
        link = Link(client, server, fault)
        for fn in (link.server_to_client, link.client_to_server):
            threading.Thread(target=fn, daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--target", type=int, required=True)
    p.add_argument("--owner", type=int, default=os.getppid())
    p.add_argument("--cut-server-bytes", type=int)
    p.add_argument("--stall-server-bytes", type=int)
    p.add_argument("--cut-on-client")
    p.add_argument("--stall-on-client")
    p.add_argument("--pause-on-client")
    args = p.parse_args()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.5)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % listener.getsockname()[1])
    os.rename(tmp, args.port_file)
    serve(args, listener)
    return 0


if __name__ == "__main__":
    sys.exit(main())
