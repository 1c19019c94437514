// The letter's print button (a listener here, because the pages allow no inline script).
document.getElementById("print-letter")?.addEventListener("click", () => window.print());
