// A barcode/QR scanner that acts as a keyboard: a burst of fast keystrokes ending in Enter.

// Scanners type a character every few milliseconds; people on a keyboard are far slower.
const MAX_GAP_MS = 80;
const MIN_LENGTH = 8;

// The character of a physical key on a US keyboard. Scanners emulate one; if the kiosk's
// system layout is German, event.key turns Y into Z and "/" into "-", event.code does not.
function usKey(code) {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^(Digit|Numpad)[0-9]$/.test(code)) return code.slice(-1);
  return { Slash: "/", Minus: "-", NumpadSubtract: "-", Period: ".", NumpadDivide: "/" }[code] || "?";
}

// The bare invitation code in what was typed or scanned, or null. Accepts ACDE-FH34,
// acdefh34 and a URL ending in /c/ACDEFH34 (the QR code on the letter).
export function codeFrom(text, alphabet, length) {
  let raw = String(text || "").trim();
  const match = raw.match(/\/c\/([A-Za-z0-9-]+)\/?$/);
  if (match) raw = match[1];
  const code = raw.replace(/[\s-]/g, "").toUpperCase();
  if (code.length !== length || [...code].some((c) => !alphabet.includes(c))) return null;
  return code;
}

// Calls onScan(texts) with what a scanner typed: [as the system layout read it, as US keys].
export function listenForScans(onScan) {
  let typed = "";
  let physical = "";
  let last = 0;
  document.addEventListener(
    "keydown",
    (event) => {
      const now = performance.now();
      if (now - last > MAX_GAP_MS) {
        typed = "";
        physical = "";
      }
      last = now;
      // The page has no text fields: no keystroke is meant for anything else.
      event.preventDefault();
      if (event.key === "Enter") {
        if (typed.length >= MIN_LENGTH) onScan([typed, physical]);
        typed = "";
        physical = "";
      } else if (event.key.length === 1) {
        typed += event.key;
        physical += usKey(event.code);
      }
    },
    true,
  );
}
