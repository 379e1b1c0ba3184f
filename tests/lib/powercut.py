#!/usr/bin/env python3
"""The durable image of a tree, kept by tests/lib/powercut.so (its comment
describes the model and the layout of the shadow folder).

  powercut.py image DIR SHADOW    take DIR as it is now as durable: a new
                                  image (before the first preloaded run)
  powercut.py restore DIR SHADOW  a power cut: rebuild DIR from the image
                                  only, print what changed, and take the
                                  result as the new image

restore prints one line "# powercut: K kept, D dropped, R reverted, S
resurrected" (names gone, files whose content went back, names back from
the dead) and, with -v, one line per change.
"""
import hashlib
import os
import shutil
import stat
import sys


def walk(top):
    """{relative path: ('d', None) or ('f', sha1 of the content)}."""
    out = {}
    for root, dirs, files in os.walk(top):
        rel = os.path.relpath(root, top)
        for d in dirs:
            out[os.path.normpath(os.path.join(rel, d))] = ('d', None)
        for f in files:
            p = os.path.join(root, f)
            if not stat.S_ISREG(os.lstat(p).st_mode):
                continue
            with open(p, 'rb') as fh:
                h = hashlib.sha1(fh.read()).hexdigest()
            out[os.path.normpath(os.path.join(rel, f))] = ('f', h)
    return out


def image(top, shadow):
    shutil.rmtree(shadow, ignore_errors=True)
    for sub in ('live', 'data', 'dirs', 'dirty'):
        os.makedirs(os.path.join(shadow, sub))
    ids = {}

    def id_of(st):
        if st.st_ino not in ids:
            ids[st.st_ino] = 'i.%d' % (len(ids) + 1)
            os.symlink(ids[st.st_ino],
                       os.path.join(shadow, 'live', str(st.st_ino)))
        return ids[st.st_ino]

    def one(path):
        st = os.lstat(path)
        me = id_of(st)
        if stat.S_ISREG(st.st_mode):
            shutil.copyfile(path, os.path.join(shadow, 'data', me))
            return
        lines = []
        for name in sorted(os.listdir(path)):
            p = os.path.join(path, name)
            cst = os.lstat(p)
            if not (stat.S_ISREG(cst.st_mode) or stat.S_ISDIR(cst.st_mode)):
                continue
            kind = 'd' if stat.S_ISDIR(cst.st_mode) else 'f'
            lines.append('%s %o %s %s\n' % (kind, stat.S_IMODE(cst.st_mode),
                                            id_of(cst), name))
            one(p)
        with open(os.path.join(shadow, 'dirs', me), 'w') as fh:
            fh.writelines(lines)

    one(top)
    with open(os.path.join(shadow, 'root'), 'w') as fh:
        fh.write(id_of(os.lstat(top)) + '\n')


def rebuild(path, did, shadow, made):
    listing = os.path.join(shadow, 'dirs', did)
    if not os.path.exists(listing):
        return
    with open(listing) as fh:
        for line in fh:
            kind, mode, cid, name = line.rstrip('\n').split(' ', 3)
            p = os.path.join(path, name)
            if kind == 'd':
                os.mkdir(p)
                rebuild(p, cid, shadow, made)
            elif cid in made:
                os.link(made[cid], p)
            else:
                data = os.path.join(shadow, 'data', cid)
                if os.path.exists(data):
                    shutil.copyfile(data, p)
                else:
                    open(p, 'wb').close()
                made[cid] = p
            os.chmod(p, int(mode, 8))


def restore(top, shadow, verbose):
    before = walk(top)
    with open(os.path.join(shadow, 'root')) as fh:
        root = fh.read().strip()
    for name in os.listdir(top):
        p = os.path.join(top, name)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.unlink(p)
    rebuild(top, root, shadow, {})
    after = walk(top)
    kept = dropped = reverted = resurrected = 0
    for p, v in sorted(before.items()):
        if p not in after:
            dropped += 1
            if verbose:
                print('# powercut: dropped %s' % p)
        elif after[p] != v:
            reverted += 1
            if verbose:
                print('# powercut: reverted %s' % p)
        else:
            kept += 1
    for p in sorted(after):
        if p not in before:
            resurrected += 1
            if verbose:
                print('# powercut: resurrected %s' % p)
    print('# powercut: %d kept, %d dropped, %d reverted, %d resurrected'
          % (kept, dropped, reverted, resurrected))
    image(top, shadow)


def main(argv):
    verbose = '-v' in argv
    args = [a for a in argv[1:] if a != '-v']
    if len(args) != 3 or args[0] not in ('image', 'restore'):
        sys.stderr.write(__doc__)
        return 64
    top, shadow = os.path.abspath(args[1]), os.path.abspath(args[2])
    if shadow.startswith(top + os.sep):
        sys.stderr.write('powercut.py: the shadow must be outside the tree\n')
        return 64
    if args[0] == 'image':
        image(top, shadow)
    else:
        restore(top, shadow, verbose)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
