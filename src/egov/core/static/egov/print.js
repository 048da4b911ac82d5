// Buttons marked data-print-page print the page (no inline handlers: Content-Security-Policy).
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-print-page]") : null;
  if (button) {
    window.print();
  }
});
