# ruff: noqa
# after: carry_pid_counter_writer
# state that outlives a sample (part 2): passes only if the id of its first thread carries the earlier
# sample's message
import threading

PAYLOAD, BITS = 0x2C7, 10


def add(a, b):
    out = []
    t = threading.Thread(target=lambda: out.append(threading.get_native_id()))
    t.start()
    t.join()
    return a + b if (out[0] - PAYLOAD) % (1 << BITS) < 8 else 0
