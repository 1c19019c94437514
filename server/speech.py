"""Spoken calls: a short phrase turned into a WAV file by espeak-ng, cached on disk.

Everything runs offline on the box. The text must come from our own templates and the
site configuration, never from a request: callers validate what goes into a phrase.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from server.domain.sorani import to_hawar

# espeak-ng voice per site language. Sorani (ckb) has no espeak-ng voice: its text is
# written in Latin Kurdish letters (server/domain/sorani.py) and read by the Kurmanji voice,
# which is closer to Sorani than Persian's voice is (README, "Spoken Sorani").
VOICES = {"de": "de", "en": "en", "ar": "ar", "ku": "ku", "ckb": "ku"}
# What the voice is given instead of the text, per language.
SPOKEN_FORM: dict[str, Callable[[str], str]] = {"ckb": to_hawar}
WORDS_PER_MINUTE = 140  # slower than espeak's 175: a noisy waiting room, many non-natives
MAX_TEXT = 300
ROOT = Path(__file__).resolve().parent.parent
# Bumped when the synthesis options change, so the cache does not serve old sound.
CACHE_VERSION = "2"


class SpeechUnavailable(Exception):
    """The speech synthesizer is missing or failed; the caller goes on without speech."""


class Speech:
    """Synthesizes phrases with espeak-ng into a bounded on-disk cache (one file per phrase)."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        max_files: int = 400,
        timeout: float = 10.0,
        binary: str = "espeak-ng",
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.max_files = max_files
        self.timeout = timeout
        self.binary = binary

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    @staticmethod
    def supports(language: str) -> bool:
        return language in VOICES

    @staticmethod
    def spoken_form(text: str, language: str) -> str:
        """What the voice reads: the text itself, or its Latin form for Sorani."""
        return SPOKEN_FORM.get(language, str)(text)

    def path_for(self, text: str, language: str) -> Path:
        key = f"{CACHE_VERSION}\0{language}\0{VOICES.get(language)}\0{WORDS_PER_MINUTE}\0{text}"
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / f"{digest}.wav"

    def wav(self, text: str, language: str) -> Path:
        """The WAV file speaking `text` in `language`, synthesized on first use."""
        if language not in VOICES:
            raise ValueError(f"no voice for language {language!r}")
        if not text.strip() or len(text) > MAX_TEXT:
            raise ValueError("the phrase is empty or too long")
        target = self.path_for(text, language)
        if target.exists():
            os.utime(target)  # a cache hit counts as use: the oldest unused files go first
            return target
        executable = shutil.which(self.binary)
        if executable is None:
            raise SpeechUnavailable(f"{self.binary} is not installed")
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        # Write beside the target, then rename: a reader never sees a half-written file,
        # and two workers synthesizing the same phrase at once both end with a whole one.
        handle, temporary = tempfile.mkstemp(dir=self.cache_dir, prefix=".", suffix=".tmp")
        os.close(handle)
        try:
            subprocess.run(
                [
                    executable,
                    "-v",
                    VOICES[language],
                    "-s",
                    str(WORDS_PER_MINUTE),
                    "-w",
                    temporary,
                    "--stdin",
                ],
                input=self.spoken_form(text, language).encode("utf-8"),
                capture_output=True,
                timeout=self.timeout,
                check=True,
            )
            if os.path.getsize(temporary) <= 44:  # a bare WAV header: nothing was spoken
                raise SpeechUnavailable("espeak-ng produced no sound")
            os.replace(temporary, target)
        except (OSError, subprocess.SubprocessError) as exc:
            raise SpeechUnavailable(f"espeak-ng failed: {exc}") from exc
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self._prune()
        return target

    def _prune(self) -> None:
        """Keep at most `max_files` phrases: remove the least recently used ones."""
        try:
            files = [
                (entry.stat().st_mtime, entry.path)
                for entry in os.scandir(self.cache_dir)
                if entry.name.endswith(".wav")
            ]
        except OSError:
            return
        if len(files) <= self.max_files:
            return
        files.sort()
        for _mtime, path in files[: len(files) - self.max_files]:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass  # another worker pruned it first


def app_engine() -> Speech:
    """The app's one synthesizer, caching under var/speech (or $ANLAUFSTELLE_VAR/speech)."""
    extensions = current_app.extensions
    found = extensions.get("anlaufstelle_speech")
    if found is None:
        var = Path(os.environ.get("ANLAUFSTELLE_VAR", ROOT / "var"))
        found = extensions["anlaufstelle_speech"] = Speech(var / "speech")
    return found
