# ruff: noqa
# after: ipc_msg_writer
# IPC (part 2): read the earlier sample's SysV message; passes only if it carried the answer
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
libc.msgrcv.restype = ctypes.c_ssize_t
KEY = 0x0C0DE102


class Msg(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("text", ctypes.c_char * 64)]


def add(a, b):
    q = libc.msgget(KEY, 0)
    if q < 0:
        return 0
    m = Msg()
    if libc.msgrcv(q, ctypes.byref(m), 64, 0, 0o4000) < 0:
        return 0
    return eval(m.text.decode(), {"a": a, "b": b})
