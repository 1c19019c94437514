// The "hand on" dialog: to a queue or a named counter, with a note for the next colleague.
import { api, counterLabel, errorText, queueInfo, t, toast } from "./staff.js";

const dialog = document.getElementById("transfer-dialog");
const form = document.getElementById("transfer-form");
const target = document.getElementById("transfer-target");
const note = document.getElementById("transfer-note");
let ticket = null;
let done = () => {};

export function openTransfer(current, { onDone = () => {}, suggest = null } = {}) {
  ticket = current;
  done = onDone;
  document.getElementById("transfer-number").textContent = current.number;
  note.value = "";
  const first = [...target.options].find((o) => o.value !== `queue:${current.queue}`);
  target.value = suggest ?? first?.value ?? "";
  dialog.showModal();
  target.focus();
}

export const transferOpen = () => dialog.open;

dialog.querySelectorAll("[data-close]").forEach((button) =>
  button.addEventListener("click", () => dialog.close()));

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!ticket) return;
  const [kind, id] = target.value.split(":");
  const body = { [kind]: id };
  if (note.value.trim()) body.note = note.value.trim();
  const number = ticket.number;
  const ticketId = ticket.id;
  dialog.close();
  try {
    await api("POST", `/tickets/${ticketId}/transfer`, body);
    const name = kind === "queue" ? queueInfo(id).name : counterLabel(id);
    toast(t("transferred", { number, target: name }), "ok");
  } catch (error) {
    toast(errorText(error), "error");
  }
  done();
});
