// Requests from the kiosk that survive a slow or flaky network without giving two tickets.

const TIMEOUT_MS = 6000;
// Retries reuse the first attempt's Idempotency-Key: the server answers a repeated POST with
// the ticket it already issued, so a visitor never gets two numbers for one touch.
const RETRY_DELAYS_MS = [1000, 2500];

export class Unreachable extends Error {}

export function newKey() {
  // crypto.randomUUID exists only in secure contexts; kiosks often run on plain http in a LAN.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchWithTimeout(url, options, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetch(url, { ...options, signal: controller.signal, cache: "no-store" });
  } finally {
    clearTimeout(timer);
  }
}

async function answer(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  return { status: response.status, body };
}

// POST JSON; resolves to {status, body} for any answer below 500, retries network failures
// and server errors with the same key, and throws Unreachable when every attempt failed.
export async function postJSON(url, data, key) {
  const options = {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(data),
  };
  for (let attempt = 0; ; attempt += 1) {
    let response = null;
    try {
      response = await fetchWithTimeout(url, options, TIMEOUT_MS);
    } catch {
      response = null;
    }
    if (response && response.status < 500) return answer(response);
    if (attempt >= RETRY_DELAYS_MS.length) {
      throw new Unreachable(response ? `server answered ${response.status}` : "no answer");
    }
    await sleep(RETRY_DELAYS_MS[attempt]);
  }
}

// GET JSON once; null when the server cannot be reached or answers with an error.
export async function getJSON(url, timeoutMs = 3000) {
  try {
    const response = await fetchWithTimeout(url, {}, timeoutMs);
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}
