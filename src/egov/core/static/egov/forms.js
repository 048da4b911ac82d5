// Forms (a static file, no inline script: Content-Security-Policy).
// 1. A form sent back with errors: focus goes to the first field with an error (its label and
//    error are read out by aria-describedby); links in the error summary focus their field.
// 2. A page that must open a document (the receipt right after reception) opens it in a new
//    tab; if the browser blocks that, its link takes the focus so one Enter opens it.
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector("main [aria-invalid='true']");
  if (invalid instanceof HTMLElement) {
    invalid.focus();
  } else {
    const summary = document.querySelector("main [data-error-summary]");
    if (summary instanceof HTMLElement) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  }
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-focus-field]") : null;
    const target = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });
  const document_link = document.querySelector("a[data-open-on-load]");
  if (document_link instanceof HTMLAnchorElement) {
    const opened = window.open(document_link.href, "_blank");
    if (!opened) {
      document_link.focus();
    }
    // Reloading the page, or coming back to it, does not open the document again.
    const url = new URL(window.location.href);
    url.searchParams.delete("in");
    window.history.replaceState(null, "", url);
  }
});
