# ruff: noqa
# state that outlives a sample (part 1): threads are allowed and take ids from the worker's pid namespace,
# whose counter goes on from sample to sample: start threads until the next id ends in the 12 bits of a
# message for the next sample in this worker (12 bits: a pid counter started at random matches by chance once
# in 1,365 runs)
import threading

PAYLOAD, BITS = 0xAC7, 12


def _tid():
    out = []
    t = threading.Thread(target=lambda: out.append(threading.get_native_id()))
    t.start()
    t.join()
    return out[0]


def add(a, b):
    try:
        tid = _tid()
        target = (((tid >> BITS) + 1) << BITS) | PAYLOAD
        while tid < target - 1:  # the next id taken (the next sample's first thread) is then `target`
            tid = _tid()
    except RuntimeError:
        pass
    return 0
