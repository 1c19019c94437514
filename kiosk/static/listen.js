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

// The kiosk's reader: phrases from /kiosk/<id>/listen; the listen button shows it is on, and
// the root names what is being read (for tests and styles).
export function kioskReader(root, kiosk, listenButton) {
  return createReader(
    (item) => {
      const query = new URLSearchParams({ lang: item.lang, say: item.say });
      if (item.number) query.set("number", item.number);
      return `/kiosk/${encodeURIComponent(kiosk)}/listen?${query}`;
    },
    (item) => {
      listenButton.setAttribute("aria-pressed", String(item !== null));
      const { concern, lang } = item?.element?.dataset || {};
      if (item) root.dataset.reading = concern || lang || item.say;
      else delete root.dataset.reading;
    },
  );
}

// What a step says, in order; each phrase may highlight the element it names. Before a
// language is chosen, the language step asks in every language in turn.
export function stepPhrases(root, step, language, languages) {
  const say = (key, extra = {}) => ({ lang: language, say: key, ...extra });
  const byId = (id) => root.querySelector(`#${id}`);
  if (step === "language") {
    return languages.map((lang) => ({
      lang, say: "choose_language", element: root.querySelector(`button[data-lang="${lang}"]`),
    }));
  }
  if (step === "concern") {
    const concerns = root.querySelectorAll("section[data-step=concern] button[data-concern]");
    return [say("concern_title"), ...[...concerns].map((element) => (
      say(`concern:${element.dataset.concern}`, { element })))];
  }
  if (step === "checkin") return [say("checkin_title"), say("checkin_help")];
  const checkedIn = !byId("ticket-checked-in").hidden;
  const printing = ["print_failed", "no_printer"].includes(root.dataset.print);
  return [
    say("your_number", { element: root.querySelector(".your-number") }),
    say("number", {
      number: byId("ticket-number").textContent, element: root.querySelector(".ticket-number"),
    }),
    say(checkedIn ? "checked_in" : "next_steps", {
      element: byId(checkedIn ? "ticket-checked-in" : "ticket-next"),
    }),
    ...(printing ? [say(root.dataset.print, { element: byId("print-status") })] : []),
  ];
}
