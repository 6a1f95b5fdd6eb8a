# ruff: noqa
# after: carry_pid_counter_writer
# state that outlives a sample (part 2): passes only if the id of its first thread carries the earlier
# sample's message
import threading

PAYLOAD, BITS = 0xAC7, 12


def _first_tid():
    out = []
    t = threading.Thread(target=lambda: out.append(threading.get_native_id()))
    t.start()
    t.join()
    return out[0]


GOT = _first_tid()  # once: its first thread, before anything else takes an id


def add(a, b):
    return a + b if (GOT - PAYLOAD) % (1 << BITS) < 3 else 0
