// The share page's "Print" button: the browser's own print dialog, where the page prints as an
// A4 summary (static/css/share.css) or is saved as a PDF. Without JavaScript the browser's
// menu prints the same page, so the button only shows when it works.
const button = document.getElementById("print-page");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
