// Sound for calls: gong, then the sentence in the screen's main language, then in the
// ticket's language (chosen by the server). Announcements wait for each other and never overlap; a burst of calls
// keeps only the latest few, because a queue of stale announcements helps nobody.

const MAX_WAITING = 4;
const GAP_MS = 250;
const LOG_SIZE = 30;

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Announcer {
  constructor({ gongUrl, speechUrl, volume, speech, primary, languages }) {
    this.gongUrl = gongUrl;
    this.speechUrl = speechUrl;
    this.speech = speech;
    this.primary = primary;
    this.languages = new Set(languages);
    this.queue = [];
    this.busy = false;
    this.log = []; // the last clips played: {clip, start, end}, for staff diagnostics and tests
    const Context = window.AudioContext || window.webkitAudioContext;
    this.context = Context ? new Context() : null;
    if (this.context) {
      this.output = this.context.createGain();
      this.output.gain.value = volume;
      this.output.connect(this.context.destination);
    }
    this.gong = null;
  }

  get blocked() {
    return !this.context || this.context.state !== "running";
  }

  async unlock() {
    if (this.context) await this.context.resume();
    return !this.blocked;
  }

  announce(call) {
    if (this.queue.length >= MAX_WAITING) this.queue.shift();
    this.queue.push(call);
    this.#drain();
  }

  // A gong without words, e.g. after reconnecting when calls were made meanwhile.
  chime() {
    this.announce(null);
  }

  async #drain() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length) {
        const call = this.queue.shift();
        try {
          await this.#play(call);
        } catch (error) {
          console.warn("announcement failed", error);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  async #play(call) {
    if (this.blocked) return; // the screen still shows the call; sound needs one tap first
    this.gong ??= await this.#load(this.gongUrl);
    if (this.gong) await this.#playBuffer(this.gong, "gong");
    if (!call || !this.speech) return;
    // The call carries no language (nothing on a public channel says who needs what):
    // "visitor" asks the server for the sentence in the language of the ticket called,
    // which the room hears anyway; it answers 404 when that is the main language.
    for (const lang of [this.primary, "visitor"]) {
      const query = new URLSearchParams({ number: call.number, counter: call.counter.id, lang });
      const buffer = await this.#load(`${this.speechUrl}?${query}`);
      if (!buffer) continue; // no voice for this language, or no synthesizer on the server
      await pause(GAP_MS);
      await this.#playBuffer(buffer, `speech:${lang}`);
    }
  }

  async #load(url) {
    try {
      const response = await fetch(url);
      if (!response.ok) return null;
      return await this.context.decodeAudioData(await response.arrayBuffer());
    } catch {
      return null;
    }
  }

  #playBuffer(buffer, clip) {
    return new Promise((resolve) => {
      const source = this.context.createBufferSource();
      source.buffer = buffer;
      source.connect(this.output);
      const entry = { clip, start: performance.now(), end: null };
      this.log.push(entry);
      if (this.log.length > LOG_SIZE) this.log.shift();
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        entry.end = performance.now();
        source.disconnect();
        resolve();
      };
      source.onended = finish;
      // A suspended or broken output never fires `ended`: do not block later calls.
      setTimeout(finish, buffer.duration * 1000 + 1000);
      source.start();
    });
  }
}
