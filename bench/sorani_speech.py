"""Sorani speech offline: three ways to make espeak-ng say the kiosk's and the calls' Sorani.

`python -m bench.sorani_speech` prints, for every Sorani phrase of the kiosk (the words a step
reads aloud) and one call per counter, how long synthesis takes (first time and from the
cache), how long the sound is, and what each voice makes of a sample phrase (espeak-ng's own
phoneme mnemonics, `-x`), for:

  ku-hawar  the phrase in Hawar Latin letters (server/domain/sorani.py), Kurmanji voice: chosen
  fa-raw    the Arabic-script phrase as it is, Persian voice
  ku-raw    the Arabic-script phrase as it is, Kurmanji voice (no Arabic script in its rules)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
import wave
from pathlib import Path

from server.domain.sorani import to_hawar, untransliterated

OPTIONS = {
    "ku-hawar": ("ku", to_hawar),
    "fa-raw": ("fa", str),
    "ku-raw": ("ku", str),
}


def phrases() -> list[str]:
    from display.announcement import call_phrase
    from kiosk.listen import SPOKEN_WORDS
    from kiosk.texts import words
    from server.app import create_app
    from server.config import load_settings

    settings = load_settings()
    site = settings.sites[0]
    texts = [words("ckb")[key] for key in sorted(SPOKEN_WORDS)]
    texts += [c.label.get("ckb") for c in site.concerns]
    app = create_app(settings, testing=True)
    with app.test_request_context():
        texts += [call_phrase("B-042", counter, "ckb") for counter in site.counters]
    return texts


def synthesize(voice: str, text: str, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", "140", "-w", str(target), "--stdin"],
        input=text.encode(),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def seconds_of(path: Path) -> float:
    with wave.open(str(path)) as sound:
        return sound.getnframes() / sound.getframerate()


def phonemes(voice: str, text: str) -> str:
    done = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice, "--stdin"],
        input=text.encode(),
        check=True,
        capture_output=True,
    )
    return " ".join(done.stdout.decode().split())


def main() -> None:
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed (make system-deps): nothing to measure")
        return
    texts = phrases()
    letters = sum(len(t) for t in texts)
    left = set().union(*(untransliterated(t) for t in texts))
    print(
        f"{len(texts)} Sorani phrases, {letters} characters; letters left untransliterated: "
        f"{len(left)} {sorted(left) if left else ''}"
    )
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (voice, form) in OPTIONS.items():
            times, lengths = [], []
            for index, text in enumerate(texts):
                target = Path(folder) / f"{name}-{index}.wav"
                times.append(synthesize(voice, form(text), target))
                lengths.append(seconds_of(target))
            cached = []
            for index in range(len(texts)):
                started = time.perf_counter()
                (Path(folder) / f"{name}-{index}.wav").read_bytes()
                cached.append(time.perf_counter() - started)
            results[name] = {
                "synth_ms_median": statistics.median(times) * 1000,
                "synth_ms_max": max(times) * 1000,
                "cache_ms_median": statistics.median(cached) * 1000,
                "audio_s_total": sum(lengths),
            }
    print(f"{'option':10} {'synth median':>13} {'synth max':>10} {'cached':>8} {'audio total':>12}")
    for name, r in results.items():
        print(
            f"{name:10} {r['synth_ms_median']:10.0f} ms {r['synth_ms_max']:7.0f} ms "
            f"{r['cache_ms_median']:5.2f} ms {r['audio_s_total']:9.1f} s"
        )
    base = results["ku-hawar"]["audio_s_total"]
    for name in ("fa-raw", "ku-raw"):
        print(f"audio length {name} / ku-hawar: {results[name]['audio_s_total'] / base:.2f}")
    sample = texts[0]
    print(f"sample: {sample}")
    print(f"  hawar letters: {to_hawar(sample)}")
    for name, (voice, form) in OPTIONS.items():
        print(f"  {name:9} [{phonemes(voice, form(sample))}]")


if __name__ == "__main__":
    main()
