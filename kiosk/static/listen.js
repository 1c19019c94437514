// Read aloud: a list of phrases played one after another, each highlighting its button.
// The sound comes from the kiosk's server (espeak-ng on the box, cached), never the internet.

export function createReader(urlFor, onChange) {
  let queue = [];
  let audio = null;
  let current = null;
  let run = 0; // bumped on stop, so a late "ended" of an old run does nothing

  function highlight(item) {
    if (current?.element) current.element.classList.remove("reading");
    current = item;
    if (item?.element) item.element.classList.add("reading");
    onChange(item);
  }

  function next(token) {
    if (token !== run) return;
    const item = queue.shift();
    if (!item) {
      stop();
      return;
    }
    highlight(item);
    audio = new Audio(urlFor(item));
    const advance = () => next(token);
    audio.addEventListener("ended", advance, { once: true });
    audio.addEventListener("error", advance, { once: true }); // a phrase without sound: go on
    audio.play().catch(advance);
    // The next phrase's file is fetched while this one plays.
    if (queue[0]) fetch(urlFor(queue[0])).catch(() => {});
  }

  function stop() {
    run += 1;
    queue = [];
    if (audio) {
      audio.pause();
      audio.removeAttribute("src");
      audio = null;
    }
    highlight(null);
  }

  return {
    play(items) {
      stop();
      queue = items.slice();
      next(run);
    },
    stop,
    get playing() {
      return current !== null;
    },
  };
}
