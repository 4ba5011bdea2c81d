#!/usr/bin/env python3
# pcm-hold.py DEVICE HOW SECONDS: play half a second of a tone on the ALSA playback DEVICE,
# then leave the stream standing still, open, for SECONDS, in the way HOW says:
#   drained   snd_pcm_drain: played out, set up again (SETUP)
#   stopped   snd_pcm_drop a quarter second in: stopped where it was (SETUP)
#   underrun  nothing more written: the card runs dry (XRUN)
# then close it. Prints the stream's state while it stood; exit 0 if every call worked.
# Through libasound itself (ctypes), as an application would: aplay cannot hold a stream.
import ctypes
import math
import struct
import sys
import time

PLAYBACK, S16_LE, RW_INTERLEAVED = 0, 2, 3
STATES = ["OPEN", "SETUP", "PREPARED", "RUNNING", "XRUN", "DRAINING", "PAUSED", "SUSPENDED",
          "DISCONNECTED"]
RATE, CHANNELS = 44100, 2


def setup(asound, pcm, ok):
    """The hardware parameters as aplay chooses them: a period first, then 4 to the buffer."""
    hw = ctypes.c_void_p()
    rate, period, buffer = ctypes.c_uint(RATE), ctypes.c_uint(125000), ctypes.c_uint(500000)
    ok("hw_params_malloc", asound.snd_pcm_hw_params_malloc(ctypes.byref(hw)))
    ok("hw_params_any", asound.snd_pcm_hw_params_any(pcm, hw))
    ok("access", asound.snd_pcm_hw_params_set_access(pcm, hw, RW_INTERLEAVED))
    ok("format", asound.snd_pcm_hw_params_set_format(pcm, hw, S16_LE))
    ok("channels", asound.snd_pcm_hw_params_set_channels(pcm, hw, CHANNELS))
    ok("rate", asound.snd_pcm_hw_params_set_rate_near(pcm, hw, ctypes.byref(rate), None))
    ok("period", asound.snd_pcm_hw_params_set_period_time_near(pcm, hw, ctypes.byref(period),
                                                                None))
    ok("buffer", asound.snd_pcm_hw_params_set_buffer_time_near(pcm, hw, ctypes.byref(buffer),
                                                                None))
    ok("hw_params", asound.snd_pcm_hw_params(pcm, hw))
    asound.snd_pcm_hw_params_free(hw)


def main():
    device, how, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    asound = ctypes.CDLL("libasound.so.2")
    asound.snd_pcm_writei.restype = ctypes.c_long
    asound.snd_pcm_writei.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_ulong]
    asound.snd_pcm_avail.restype = ctypes.c_long
    asound.snd_strerror.restype = ctypes.c_char_p
    for f in ("snd_pcm_drain", "snd_pcm_drop", "snd_pcm_close", "snd_pcm_state", "snd_pcm_avail"):
        getattr(asound, f).argtypes = [ctypes.c_void_p]
    pcm = ctypes.c_void_p()

    def ok(what, r):
        if r < 0:
            sys.exit(f"pcm-hold: {what}: {asound.snd_strerror(r).decode()} ({r})")
        return r

    ok("open", asound.snd_pcm_open(ctypes.byref(pcm), device.encode(), PLAYBACK, 0))
    setup(asound, pcm, ok)
    frames = RATE // 2
    tone = b"".join(struct.pack("<hh", v, v) for v in
                    (int(8000 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(frames)))
    ok("writei", asound.snd_pcm_writei(pcm, tone, frames))
    if how == "drained":
        ok("drain", asound.snd_pcm_drain(pcm))
    elif how == "stopped":
        time.sleep(0.25)
        ok("drop", asound.snd_pcm_drop(pcm))
    elif how != "underrun":
        sys.exit(f"pcm-hold: HOW is drained, stopped or underrun, not {how}")
    time.sleep(1)
    asound.snd_pcm_avail(pcm)  # the plugin learns the stream's state from its position
    print(f"{how}: state {STATES[asound.snd_pcm_state(pcm)]} for {seconds:.0f} s")
    sys.stdout.flush()
    time.sleep(seconds)
    ok("close", asound.snd_pcm_close(pcm))


main()
