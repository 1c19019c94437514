"""Write the waiting-room gong (display/static/gong.wav): two soft bell tones, high then low.

Run once with `python -m display.make_gong`; the small WAV is committed, so the box needs
no audio tools. Plain `wave` and `math`: no numpy for one sound.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
TARGET = Path(__file__).resolve().parent / "static" / "gong.wav"
# (start second, fundamental Hz): E5 then C5, the familiar "ding-dong" of public spaces.
TONES = ((0.0, 659.26), (0.62, 523.25))
# Partials of a soft bell: (frequency ratio, loudness, decay time constant in seconds).
PARTIALS = ((1.0, 1.0, 0.9), (2.0, 0.35, 0.45), (3.0, 0.12, 0.25), (4.2, 0.05, 0.15))
LENGTH = 2.6
PEAK = 0.6  # leave headroom: the page scales by the display's volume


def samples() -> list[float]:
    total = int(RATE * LENGTH)
    out = [0.0] * total
    for start, base in TONES:
        first = int(start * RATE)
        for i in range(total - first):
            t = i / RATE
            attack = min(1.0, t / 0.006)  # 6 ms: soft onset, no click
            value = sum(
                loud * math.exp(-t / decay) * math.sin(2 * math.pi * base * ratio * t)
                for ratio, loud, decay in PARTIALS
            )
            out[first + i] += attack * value
    fade = int(0.05 * RATE)  # end on silence: no click when the clip stops
    for i in range(fade):
        out[total - fade + i] *= 1 - i / fade
    loudest = max(abs(v) for v in out)
    return [v * PEAK / loudest for v in out]


def write(path: Path = TARGET) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"".join(struct.pack("<h", int(v * 32767)) for v in samples()))
    return path


if __name__ == "__main__":
    print(write())
