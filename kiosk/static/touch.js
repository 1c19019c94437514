// Kiosk buttons act on the touch itself: the pointerup on the button that got the pointerdown.
// No click synthesised after gesture detection (which Chromium drops for a touch on a step
// that appeared a moment ago), no 300 ms delay, and no ghost tap: a touch that began on the
// previous step, or the second half of a double tap that changed the step, presses nothing.

const DOUBLE_TAP_MS = 350;
const DOUBLE_TAP_PX = 40;

export function listenForTaps(root, press) {
  const downs = new Map(); // pointerId → { button, time, x, y }
  let stepShownAt = -Infinity; // event.timeStamp and performance.now() share one clock
  let lastPress = null; // { time, x, y, changedStep }

  const isRepeat = (down) => lastPress && lastPress.changedStep
    && down.time - lastPress.time < DOUBLE_TAP_MS
    && Math.hypot(down.x - lastPress.x, down.y - lastPress.y) < DOUBLE_TAP_PX;

  root.addEventListener("pointerdown", (event) => {
    const button = event.target.closest("button");
    if (!button || event.button !== 0) return;
    downs.set(event.pointerId, {
      button, time: event.timeStamp, x: event.clientX, y: event.clientY,
    });
  });
  root.addEventListener("pointercancel", (event) => downs.delete(event.pointerId));
  root.addEventListener("pointerup", (event) => {
    const down = downs.get(event.pointerId);
    downs.delete(event.pointerId);
    if (!down) return;
    // A touch keeps its target while the finger slides; press only if it ends on the button.
    const under = document.elementFromPoint(event.clientX, event.clientY)?.closest("button");
    if (under !== down.button || down.time < stepShownAt || isRepeat(down)) return;
    lastPress = { time: down.time, x: down.x, y: down.y, changedStep: false };
    const before = stepShownAt;
    press(down.button);
    lastPress.changedStep = stepShownAt !== before;
  });
  root.addEventListener("click", (event) => {
    // Keyboards and switch access click without a pointer (detail 0); pointers are done above.
    if (event.detail !== 0) return;
    const button = event.target.closest("button");
    if (button) press(button);
  });
  return {
    // Call whenever the buttons under the finger change (a new step, a dialog).
    stepShown() {
      stepShownAt = performance.now();
    },
  };
}
