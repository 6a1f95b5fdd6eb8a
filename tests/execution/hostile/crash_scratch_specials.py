# ruff: noqa
# zygote crash / later samples: special files in scratch (a FIFO someone may open and block on, a bound
# Unix socket, symlinks to host directories and to themselves, a hard link farm, a file held open by a
# lingering thread), so cleanup that follows links or opens files hangs or deletes host files
import os, socket, threading, time


def add(a, b):
    try:
        os.mkfifo("fifo")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind("sock")
        os.symlink("/", "root-link")
        os.symlink("/etc", "etc-link")
        os.symlink("loop", "loop")
        os.mkdir("dir")
        os.symlink("/usr", "dir/usr-link")
        os.symlink("..", "dir/up")
        open("dir/base", "w").close()
        for i in range(200):
            os.link("dir/base", f"dir/l{i}")
    except OSError:
        pass
    threading.Thread(target=lambda: (open("held", "w"), time.sleep(30)), daemon=True).start()
    time.sleep(0.05)
    return 0
