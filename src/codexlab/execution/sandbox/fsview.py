"""The private filesystem view a worker's samples run in: a fresh tmpfs root holding, read-only, only what the
interpreter and the standard library need (plus the few packages samples may import, `SAMPLE_PACKAGES`),
never package data, the user's home or caches, the run directory or the judge's files.

`plan()` decides what is shown, from this interpreter (run it before anything is hidden): the standard
library with its extension modules (its site-packages shown empty), the system's shared-library folders
(their python*/…-packages folders shown empty), every shared object this process has mapped, the sandbox's
own modules (for tracebacks), a few /etc files and /usr/share/zoneinfo, the symlinks on the way to each.
Other site-packages folders on sys.path are shown as empty folders holding only the sample packages.

The same plan serves three builders: `build()` mounts it in the zygote's mount namespace and pivots into it,
`landlock_reads()` lists the paths Landlock lets a sample read where the view cannot be built, and
`bubblewrap_args()` gives bubblewrap the same view where the zygote cannot enter namespaces itself.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import site
import stat
import sys
import sysconfig
from dataclasses import dataclass, field

from codexlab.execution.sandbox import lowlevel

# third-party packages samples may import (shown read-only, with a wheel's vendored `<name>.libs` folder)
SAMPLE_PACKAGES = ("numpy", "tzdata")
DEVICES = ("null", "zero", "full", "random", "urandom")
ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime")
SHARE_DIRS = ("/usr/share/zoneinfo", "/usr/lib/locale")
# inside the shared-library folders: what holds packages (and so, possibly, datasets) is shown empty
_MASKED_NAMES = ("python*", "*-packages", "site-packages")
SCRATCH = "/tmp/scratch"  # the samples' working folder in the view (a fresh tmpfs each; /dev/shm points there)
SCRATCH_BYTES = 64 << 20
SCRATCH_INODES = 16384
# tmpfs options of the view's root and of each emptied folder (read-only once built)
_ROOT_OPTS = "size=1m,nr_inodes=4096,mode=0755,uid=0,gid=0"
_MASK_OPTS = "size=64k,nr_inodes=256,mode=0755,uid=0,gid=0"
BIN_OPTS = "size=64k,nr_inodes=64,mode=0700,uid=0,gid=0"  # holds used scratches' mount points until unmounted


@dataclass
class Plan:
    """Host paths (real, no symlink in them) shown read-only at the same place; folders inside them shown
    empty; folders created empty (sys.path entries); symlinks recreated (path -> target)."""

    binds: list[str] = field(default_factory=list)
    masks: list[str] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)

    def ordered(self) -> list[tuple[str, str]]:
        """(kind, path) for binds, masks and dirs, parents first; a bind already visible through an earlier
        bind (and not under a mask) is dropped, and so is a mask or dir with nothing to hide or create."""
        items = sorted(
            [("bind", p) for p in self.binds] + [("mask", p) for p in self.masks] + [("dir", p) for p in self.dirs],
            key=lambda kp: (_parts(kp[1]), kp[0] != "mask"),
        )
        done: list[tuple[str, str]] = []
        for kind, path in items:
            cover = _innermost(done, path)
            if kind == "bind" and cover is not None and cover[0] == "bind":
                continue
            if kind == "mask" and (cover is None or cover[0] != "bind"):
                continue  # not visible anyway
            if kind == "dir" and cover is not None and cover[0] == "bind":
                continue  # exists as on the host
            done.append((kind, path))
        return done


def _parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split("/") if p)


def _under(path: str, top: str) -> bool:
    return top == "/" or path == top or path.startswith(top.rstrip("/") + "/")


def _innermost(items: list[tuple[str, str]], path: str) -> tuple[str, str] | None:
    best: tuple[str, str] | None = None
    for kind, p in items:
        if _under(path, p) and (best is None or len(p) > len(best[1])):
            best = (kind, p)
    return best


def _resolve(path: str, links: dict[str, str], hops: int = 0) -> str:
    """The real path of absolute `path`, recording each symlink met on the way so the view can recreate it."""
    if hops > 32:
        raise OSError(40, f"too many symlinks: {path}")
    cur = "/"
    for comp in (p for p in path.split("/") if p and p != "."):
        if comp == "..":
            cur = os.path.dirname(cur)
            continue
        nxt = os.path.join(cur, comp)
        if os.path.islink(nxt):
            target = os.readlink(nxt)
            links[nxt] = target
            cur = _resolve(target if target.startswith("/") else os.path.join(cur, target), links, hops + 1)
        else:
            cur = nxt
    return cur


def _mapped_libraries() -> list[str]:
    """Shared objects this process has mapped (the interpreter's libraries, loaded extension modules)."""
    out: set[str] = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                fields = line.split(None, 5)
                if len(fields) == 6:
                    path = fields[5].strip()
                    if path.startswith("/") and ".so" in os.path.basename(path) and not path.endswith("(deleted)"):
                        out.add(path)
    except OSError:
        pass
    return sorted(out)


def _library_dirs() -> list[str]:
    """The system's shared-library folders (multiarch and lib64 ones; /usr/lib itself only without them)."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    found = [d for d in ("/lib64", "/usr/lib64") if os.path.isdir(d)]
    arch = [d for d in (f"/lib/{multiarch}", f"/usr/lib/{multiarch}") if multiarch and os.path.isdir(d)]
    # the interpreter's own library folder (a pyenv or conda prefix's lib: libpython, its OpenSSL, SQLite...)
    libdir = sysconfig.get_config_var("LIBDIR") or ""
    own = [libdir] if os.path.isabs(libdir) and os.path.isdir(libdir) else []
    return found + (arch or [d for d in ("/lib", "/usr/lib") if os.path.isdir(d)]) + own


def sandbox_dir() -> str:
    return os.path.dirname(os.path.realpath(__file__))


def plan(interpreter: bool = False) -> Plan:
    """What the view shows, from this interpreter. `interpreter=True` adds what starting a new interpreter
    inside it needs (the executable and pyvenv.cfg), for bubblewrap."""
    p = Plan()
    links = p.links

    def bind(path: str) -> None:
        if os.path.lexists(path):
            real = _resolve(os.path.abspath(path), links)
            if os.path.exists(real) and real not in p.binds:
                p.binds.append(real)

    stdlib = sysconfig.get_paths()["stdlib"]
    bind(stdlib)
    stdlib_real = _resolve(stdlib, links)
    for name in ("site-packages", "dist-packages"):
        p.masks.append(os.path.join(stdlib_real, name))
    # extension modules: lib-dynload, wherever this build keeps it
    bind(os.path.join(stdlib, "lib-dynload"))
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if isinstance(f, str) and f.endswith(".so") and os.path.isabs(f):
            bind(os.path.dirname(f))
    lib_dirs = [_resolve(d, links) for d in _library_dirs()]
    for d in lib_dirs:
        bind(d)
        try:
            names = os.listdir(d)
        except OSError:
            names = []
        for name in names:
            full = os.path.join(d, name)
            if any(fnmatch.fnmatch(name, pat) for pat in _MASKED_NAMES) and os.path.isdir(full):
                if not os.path.islink(full):
                    p.masks.append(full)
    for lib in _mapped_libraries():
        bind(lib)
    bind(sandbox_dir())
    for name in SAMPLE_PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        locations = list(spec.submodule_search_locations or [])
        where = locations[0] if locations else spec.origin
        if where and os.path.exists(where):
            bind(where)
            if locations:
                bind(where.rstrip("/") + ".libs")
    for path in ETC_FILES + SHARE_DIRS:
        bind(path)
    # site-packages folders (and other sys.path entries) appear, empty but for the sample packages above
    for entry in sys.path:
        if entry and os.path.isabs(entry) and os.path.isdir(entry):
            p.dirs.append(_resolve(entry, links))
    masks = {_resolve(m, links) for m in p.masks if os.path.isdir(m)}
    for sp in [*site.getsitepackages(), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]:
        if os.path.isdir(sp):
            masks.add(_resolve(sp, links))
    # never hide what was asked for by name (the standard library inside /usr/lib64/python3.x, say)
    p.masks = sorted(m for m in masks if m not in p.binds)
    if interpreter:
        bind(sys.executable)
        cfg = os.path.join(sys.prefix, "pyvenv.cfg")
        bind(cfg)
        _resolve(os.path.abspath(sys.executable), links)
    return p


def _locked_flags(fd: int) -> int:
    """Mount flags a bind of the file open as `fd` must keep (a user namespace may add restrictions to a
    mount it did not make, never drop them)."""
    try:
        f = os.fstatvfs(fd).f_flag
    except OSError:
        return 0
    out = 0
    pairs = ((os.ST_NOSUID, lowlevel.MS_NOSUID), (os.ST_NODEV, lowlevel.MS_NODEV), (os.ST_NOEXEC, lowlevel.MS_NOEXEC))
    for st, ms in pairs:
        if f & st:
            out |= ms
    return out


def _bind_ro(fd: int, dst: str, device: bool = False) -> None:
    """Bind the file or folder open as O_PATH `fd` (through /proc/self/fd: no permission is needed on the way
    to it any more) at `dst`, read-only, nosuid, nodev unless it is a device."""
    lowlevel.mount(f"/proc/self/fd/{fd}", dst, None, lowlevel.MS_BIND)
    flags = lowlevel.MS_REMOUNT | lowlevel.MS_BIND | lowlevel.MS_RDONLY | lowlevel.MS_NOSUID | _locked_flags(fd)
    if not device:
        flags |= lowlevel.MS_NODEV
    lowlevel.mount(None, dst, None, flags)


def _mountpoint(dst: str, is_dir: bool) -> None:
    if is_dir:
        os.makedirs(dst, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if not os.path.lexists(dst):
            os.close(os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644))


def open_sources(p: Plan) -> dict[str, int]:
    """O_PATH fds of everything the view binds (the plan's binds and the devices), opened while this process
    still has the host's permissions on the way to them (the interpreter may live under a 0700 /root)."""
    fds: dict[str, int] = {}
    try:
        for kind, path in p.ordered():
            if kind == "bind":
                fds[path] = os.open(path, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC)
        for name in DEVICES:
            if os.path.exists("/dev/" + name):
                fds["/dev/" + name] = os.open("/dev/" + name, os.O_PATH | os.O_CLOEXEC)
    except BaseException:
        for fd in fds.values():
            os.close(fd)
        raise
    return fds


def build(p: Plan, fds: dict[str, int], new: str = "/tmp") -> int:
    """Mount the view and make it this process's root. Must run in its own mount namespace with
    CAP_SYS_ADMIN there, as pid 1 of its pid namespace (for the fresh /proc), with the host's /proc still
    visible, and with a uid mapped in its user namespace (tmpfs refuses to create files for an unmapped one);
    `fds` from `open_sources`, closed here. The view is assembled on a tmpfs mounted at `new`, then becomes /:
    read-only, with /tmp a private tmpfs (the scratch), /proc this pid namespace's, /dev a few devices.
    Returns the number of mounts. Raises OSError with nothing changed (all undone) if a step before the
    switch fails; ViewBroken if the switch itself does."""
    lowlevel.mount(None, "/", None, lowlevel.MS_REC | lowlevel.MS_PRIVATE)
    nosuid_nodev = lowlevel.MS_NOSUID | lowlevel.MS_NODEV
    root = new.rstrip("/")
    lowlevel.mount("tmpfs", new, "tmpfs", nosuid_nodev, _ROOT_OPTS)
    try:
        mounts = _assemble(p, fds, root) + 1
    except BaseException:
        lowlevel.umount(new, lowlevel.MNT_DETACH)
        raise
    finally:
        for fd in fds.values():
            os.close(fd)
    # into the view; the host's tree goes away
    try:
        lowlevel.pivot_root(new, root + "/.old")
    except OSError:
        # an initramfs root cannot be pivoted away from: move the view over it and chroot instead (the host's
        # tree stays mounted beneath, out of reach of a process without CAP_SYS_CHROOT and mount calls)
        os.chdir(new)
        try:
            lowlevel.mount(new, "/", None, lowlevel.MS_MOVE)
        except OSError:
            os.chdir("/")
            lowlevel.umount(new, lowlevel.MNT_DETACH)
            raise
        os.chroot(".")
    else:
        try:
            os.chdir("/")
            lowlevel.umount("/.old", lowlevel.MNT_DETACH)
        except OSError as exc:
            raise ViewBroken(f"leaving the host's tree failed: {exc}") from exc
    try:
        os.chdir("/")
        os.rmdir("/.old")
        lowlevel.mount(None, "/", None, lowlevel.MS_REMOUNT | lowlevel.MS_BIND | lowlevel.MS_RDONLY | nosuid_nodev)
    except OSError as exc:
        raise ViewBroken(f"sealing the view failed: {exc}") from exc
    return mounts


class ViewBroken(RuntimeError):
    """The view was half entered: this process cannot go on."""


def _assemble(p: Plan, fds: dict[str, int], root: str) -> int:
    nosuid_nodev = lowlevel.MS_NOSUID | lowlevel.MS_NODEV
    mounts = 0
    seal: list[str] = []
    # the scratch tmpfs first; what the plan shows under /tmp (a checkout or venv there) sits on it in
    # read-only tmpfs folders, mount points a sample can neither rename nor write into
    os.makedirs(root + "/tmp", exist_ok=True)
    mount_scratch(root + "/tmp")
    for top in tmp_tops(p):
        os.mkdir(root + top)
        lowlevel.mount("tmpfs", root + top, "tmpfs", nosuid_nodev, _ROOT_OPTS)
        seal.append(root + top)
        mounts += 1
    for kind, path in p.ordered():
        dst = root + path
        if kind == "bind":
            _mountpoint(dst, stat.S_ISDIR(os.fstat(fds[path]).st_mode))
            _bind_ro(fds[path], dst)
        elif kind == "mask":
            lowlevel.mount("tmpfs", dst, "tmpfs", nosuid_nodev | lowlevel.MS_NOEXEC, _MASK_OPTS)
            seal.append(dst)
        else:
            try:
                os.makedirs(dst, exist_ok=True)
            except OSError:
                continue
        mounts += 1
    for path, target in sorted(p.links.items()):
        dst = root + path
        if os.path.lexists(dst):
            continue
        try:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            os.symlink(target, dst)
        except OSError:
            pass  # inside a read-only bind: the host's own link is there
    # devices, /proc
    os.makedirs(root + "/dev", exist_ok=True)
    lowlevel.mount("tmpfs", root + "/dev", "tmpfs", lowlevel.MS_NOSUID | lowlevel.MS_NOEXEC, _MASK_OPTS)
    for name in DEVICES:
        if "/dev/" + name in fds:
            _mountpoint(root + "/dev/" + name, False)
            _bind_ro(fds["/dev/" + name], root + "/dev/" + name, device=True)
            mounts += 1
    os.symlink(SCRATCH, root + "/dev/shm")  # (no /dev/fd links: samples get no procfs, see the zygote)
    seal.append(root + "/dev")
    os.makedirs(root + "/proc", exist_ok=True)
    lowlevel.mount("proc", root + "/proc", "proc", nosuid_nodev | lowlevel.MS_NOEXEC)
    os.mkdir(root + "/.old")
    mounts += 4
    for dst in reversed(seal):
        lowlevel.mount(None, dst, None, lowlevel.MS_REMOUNT | lowlevel.MS_BIND | lowlevel.MS_RDONLY | nosuid_nodev)
    return mounts


def tmp_tops(p: Plan) -> list[str]:
    """The folders directly under /tmp that hold something the plan shows."""
    paths = [*p.binds, *p.dirs, *p.links]
    return sorted({"/tmp/" + _parts(x)[1] for x in paths if len(_parts(x)) > 1 and _parts(x)[0] == "tmp"})


def mount_scratch(where: str = "/tmp") -> None:
    """A fresh, size- and inode-capped tmpfs for the samples' scratch (also what /dev/shm points to)."""
    flags = lowlevel.MS_NOSUID | lowlevel.MS_NODEV | lowlevel.MS_NOEXEC
    lowlevel.mount(
        "tmpfs", where, "tmpfs", flags, f"size={SCRATCH_BYTES},nr_inodes={SCRATCH_INODES},mode=0700,uid=0,gid=0"
    )


def landlock_reads(p: Plan, split: bool) -> list[str]:
    """What Landlock lets a sample read: the plan's binds and the devices. With `split` (the view is not
    built, so the masked folders are not empty) a bound folder holding a masked one is granted entry by
    entry around it, since Landlock can only add permissions."""
    ordered = p.ordered()
    masks = [m for k, m in ordered if k == "mask"]
    out: list[str] = []

    def grant(path: str) -> None:
        inner = [m for m in masks if m != path and _under(m, path)]
        if not inner:
            out.append(path)
            return
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return
        for name in names:
            full = os.path.join(path, name)
            if full not in inner and not os.path.islink(full):
                grant(full)

    for kind, path in ordered:
        if kind == "bind":
            grant(path) if split else out.append(path)
    return out + ["/dev/" + name for name in DEVICES if os.path.exists("/dev/" + name)]


def bubblewrap_args(p: Plan) -> list[str]:
    """bubblewrap options that build the same view (bubblewrap's own /dev, /proc and /tmp)."""
    args: list[str] = ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    remount: list[str] = []
    for kind, path in p.ordered():
        if kind == "bind":
            args += ["--ro-bind", path, path]
        elif kind == "mask":
            args += ["--tmpfs", path]
            remount.append(path)
        else:
            args += ["--dir", path]
    for path, target in sorted(p.links.items()):
        cover = _innermost([("bind", b) for b in p.binds], path)
        if cover is None:
            args += ["--symlink", target, path]
    for path in reversed(remount):
        args += ["--remount-ro", path]
    return args + ["--remount-ro", "/dev", "--remount-ro", "/"]
