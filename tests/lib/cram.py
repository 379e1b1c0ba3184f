#!/usr/bin/env python3
"""Golden command-line sessions, cram style.

A session file (tests/data/cli/*.t, or the ```console blocks of a Markdown
document) is a sequence of commands and what they must print:

    $ leadgate sources add ImmoScout24      a command (run with /bin/sh)
    expected standard output, line by line
    ! expected standard error line
    ? 65                                    expected exit status (default 0)
    # a comment

    %file NAME                              create a file in the session dir
    ...contents...
    %end

In Markdown, a fenced block whose info string has a word file=NAME (for
example ```libconfig file=leadgate.conf) is shown as it is and written to
NAME in the session directory of the next ```console block, before its
first command: the documentation shows a file, then runs commands on it.

Each session runs in a fresh directory with its own configuration
(leadgate.conf: the store and spool in that directory, the repository's
pipelines) and `leadgate` on PATH meaning $LEADGATE. LEADGATE_NOW pins the
clock. Prints "ok - FILE:LINE: CMD" / "not ok - ..." with a diff.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.environ.get("TOP") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
LEADGATE = os.environ.get("LEADGATE") or os.path.join(TOP, "leadgate")

CONFIG = """\
store = {{ path = "{d}/leadgate.db"; default_country = "CH"; }};
pipelines = "{top}/etc/pipelines.conf";
rules = "{top}/etc/rules.conf";
templates = "{top}/etc/templates";
spool = "{d}/spool";
lock = "{d}/leadgate.lock";
log = {{ level = "warn"; }};
mail = {{
  from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example";
  own_addresses = [ "info@muster-immo.example" ];
}};
"""


class Step:
    def __init__(self, line, cmd):
        self.line = line
        self.cmd = cmd
        self.out = []
        self.err = []
        self.status = 0


def parse_session(lines, first_line=1):
    steps, files = [], []
    cur = None
    i = 0
    while i < len(lines):
        raw = lines[i]
        no = first_line + i
        i += 1
        if raw.startswith("%file "):
            name, body = raw[6:].strip(), []
            while i < len(lines) and lines[i] != "%end":
                body.append(lines[i])
                i += 1
            i += 1
            files.append((len(steps), name, "\n".join(body) + "\n"))
        elif raw.startswith("$ "):
            cur = Step(no, raw[2:])
            steps.append(cur)
        elif raw.startswith("! ") or raw == "!":
            cur.err.append(raw[2:])
        elif raw.startswith("? "):
            cur.status = int(raw[2:])
        elif raw.startswith("#") or (cur is None and raw.strip() == ""):
            continue
        elif cur is not None:
            cur.out.append(raw)
    for st in steps:
        # Blank lines separate steps: trailing ones are not output.
        while st.out and st.out[-1] == "":
            st.out.pop()
    return steps, files


def markdown_sessions(text):
    """Every ```console block of a Markdown file is one session; the
    ```LANG file=NAME blocks before it are its files."""
    sessions, pending = [], []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        fence = lines[i].strip()
        if fence.startswith("```") and fence != "```":
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            words = fence[3:].split()
            names = [w[5:] for w in words if w.startswith("file=")]
            if words and words[0] == "console":
                sessions.append((start + 1, lines[start:j], pending))
                pending = []
            elif names:
                pending.append((0, names[0], "\n".join(lines[start:j]) + "\n"))
            i = j
        i += 1
    return sessions


def setup_dir():
    d = tempfile.mkdtemp(prefix="cram-", dir=os.environ.get("TMPDIR"))
    os.makedirs(os.path.join(d, "bin"))
    os.symlink(LEADGATE, os.path.join(d, "bin", "leadgate"))
    with open(os.path.join(d, "leadgate.conf"), "w") as f:
        f.write(CONFIG.format(d=d, top=TOP))
    return d


def run_session(fname, steps, files, actual=None):
    d = setup_dir()
    env = dict(os.environ)
    env["PATH"] = os.path.join(d, "bin") + ":" + env.get("PATH", "")
    env["LEADGATE_CONFIG"] = os.path.join(d, "leadgate.conf")
    env.setdefault("LEADGATE_NOW", "2026-03-04T10:00:00Z")
    env["TOP"] = TOP
    env["SESSION"] = d
    failed = 0
    for idx, step in enumerate(steps):
        for at, name, body in files:
            if at == idx:
                path = os.path.join(d, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(body)
        p = subprocess.run(["/bin/sh", "-c", step.cmd], cwd=d, env=env,
                           capture_output=True, timeout=120)
        out = p.stdout.decode("utf-8", "replace").replace(d, "$SESSION")
        err = p.stderr.decode("utf-8", "replace").replace(d, "$SESSION")
        out, err = out.replace(TOP, "$TOP"), err.replace(TOP, "$TOP")
        out, err = out.split("\n"), err.split("\n")
        while out and out[-1] == "":
            out.pop()
        while err and err[-1] == "":
            err.pop()
        if actual is not None:
            actual[step.line] = (out, err, p.returncode)
        label = "%s:%d: %s" % (os.path.basename(fname), step.line, step.cmd)
        problems = []
        if out != step.out:
            problems.append("stdout differs:\n" + "\n".join(
                difflib.unified_diff(step.out, out, "want", "got", lineterm="")))
        if err != step.err:
            problems.append("stderr differs:\n" + "\n".join(
                difflib.unified_diff(step.err, err, "want", "got", lineterm="")))
        if p.returncode != step.status:
            problems.append("exit %d, want %d" % (p.returncode, step.status))
        if problems:
            failed += 1
            print("not ok - %s: %s" % (label, problems[0].split("\n")[0]))
            for pr in problems:
                for ln in pr.split("\n"):
                    print("    " + ln)
        else:
            print("ok - %s" % label)
    if not failed:
        shutil.rmtree(d, ignore_errors=True)
    return failed


def rewrite(fname, text, actual):
    """--update: keep commands, comments and files; replace the outputs."""
    out, skipping = [], False
    for no, line in enumerate(text.split("\n"), 1):
        if skipping and line.startswith(("#", "%", "$ ")):
            skipping = False
            out.append("")
        if line.startswith("$ ") and no in actual:
            out.append(line)
            o, e, st = actual[no]
            out.extend(o)
            out.extend(("! " + x) if x else "!" for x in e)
            if st:
                out.append("? %d" % st)
            skipping = True
            continue
        if not skipping:
            out.append(line)
    while out and out[-1] == "":
        out.pop()
    with open(fname, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(out) + "\n")


def main(paths):
    failed = 0
    update = "--update" in paths
    paths = [p for p in paths if p != "--update"]
    for fname in paths:
        with open(fname, encoding="utf-8", newline="") as f:
            text = f.read()
        if fname.endswith(".md"):
            for first, lines, shown in markdown_sessions(text):
                steps, files = parse_session(lines, first)
                failed += run_session(fname, steps, shown + files)
        else:
            steps, files = parse_session(text.split("\n"))
            actual = {} if update else None
            failed += run_session(fname, steps, files, actual)
            if update:
                rewrite(fname, text, actual)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
