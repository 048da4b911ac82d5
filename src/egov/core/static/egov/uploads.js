// Step 2 of the online application (portal/application_files.html and
// _application_component.html). htmx uploads a file as soon as it is chosen; this file adds what
// htmx does not: the size and type check before sending (the same limit as the server, read from
// the form's data- attributes), the progress bar, the swap of a component's block that comes back
// with an error status, and the stop on "Tiếp tục: xem lại" while a chosen file is not sent.
// A static file, no inline script (Content-Security-Policy). Without it the form still works as
// one plain form: every submit sends the chosen files.
(() => {
  const form = document.getElementById("application-files");
  if (!form) {
    return;
  }
  const maxBytes = Number(form.dataset.maxBytes);
  const maxFiles = Number(form.dataset.maxFiles);
  const types = form.dataset.acceptedTypes.split(",");
  const extensions = form.dataset.acceptedExtensions.split(",");

  const blockOf = (element) => (element instanceof Element ? element.closest(".upload-component") : null);
  const inputOf = (block) => block.querySelector('input[type="file"]');

  const showError = (block, messages) => {
    const box = block.querySelector(".upload-error");
    box.replaceChildren(
      ...messages.map((message) => {
        const line = document.createElement("p");
        line.className = "errorlist";
        line.textContent = message;
        return line;
      }),
    );
    if (messages.length) {
      inputOf(block).setAttribute("aria-invalid", "true");
    } else {
      inputOf(block).removeAttribute("aria-invalid");
    }
  };

  const showStatus = (block, text) => {
    block.querySelector(".upload-status").textContent = text;
  };

  const accepted = (file) => {
    if (file.type) {
      return types.includes(file.type);
    }
    const name = file.name.toLowerCase();
    return extensions.some((extension) => name.endsWith(extension));
  };

  // What the browser refuses before sending: one message per file, or one for too many files
  // (those already uploaded to the component count).
  const problems = (block, files) => {
    if (block.querySelectorAll(".upload-files li").length + files.length > maxFiles) {
      return [form.dataset.tooMany];
    }
    return Array.from(files).flatMap((file) => {
      if (file.size > maxBytes) {
        return [form.dataset.tooLarge.replace("{name}", file.name)];
      }
      if (!accepted(file)) {
        return [form.dataset.wrongType.replace("{name}", file.name)];
      }
      return [];
    });
  };

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const block = blockOf(event.target);
    if (!block) {
      return;
    }
    const input = inputOf(block);
    const sendsFiles = event.target === input || event.target.name === "upload";
    if (!sendsFiles) {
      return;
    }
    const refused = problems(block, input.files);
    if (refused.length) {
      // Nothing is sent; the refused file is taken out of the field so that it is not sent
      // later with another button either.
      event.preventDefault();
      input.value = "";
      showError(block, refused);
      showStatus(block, "");
      return;
    }
    if (input.files.length) {
      block.dataset.uploading = "true";
      block.setAttribute("aria-busy", "true");
      const bar = block.querySelector(".upload-progress");
      bar.value = 0;
      bar.hidden = false;
      showError(block, []);
      showStatus(block, form.dataset.uploading);
    }
  });

  document.body.addEventListener("htmx:xhr:progress", (event) => {
    const block = blockOf(event.target);
    if (block && event.detail.lengthComputable && event.detail.total > 0) {
      block.querySelector(".upload-progress").value = Math.round(
        (event.detail.loaded / event.detail.total) * 100,
      );
    }
  });

  const done = (block) => {
    delete block.dataset.uploading;
    block.removeAttribute("aria-busy");
    block.querySelector(".upload-progress").hidden = true;
  };

  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const block = blockOf(event.target);
    if (!block) {
      return;
    }
    done(block);
    if (event.detail.xhr.getResponseHeader("X-Egov-Component")) {
      // The component's block with its error (400, 413): shown in place like a success.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else if (event.detail.xhr.status >= 400) {
      event.detail.shouldSwap = false;
      showError(block, [form.dataset.failed]);
      showStatus(block, "");
    }
  });

  document.body.addEventListener("htmx:sendError", (event) => {
    const block = blockOf(event.target);
    if (block) {
      done(block);
      showError(block, [form.dataset.failed]);
      showStatus(block, "");
    }
  });

  // After a swap the focus stays in the component (htmx keeps it on an element with the same
  // id; a removed file's button has none).
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const block = blockOf(event.detail.elt);
    if (block && (!document.activeElement || document.activeElement === document.body)) {
      inputOf(block).focus();
    }
  });

  // A file chosen before the page's scripts had run (a slow connection, or a quick hand) was not
  // sent: htmx was not listening yet. It is sent once htmx has processed the page — htmx's own
  // DOMContentLoaded handler was registered first, so it runs before this one (both scripts are
  // deferred; while deferred scripts run, readyState is already "interactive" but htmx has not
  // processed the page yet, hence the event rather than a readyState test). Not on a reload or
  // a return through history: a file the browser put back may have been sent already; it stays
  // chosen and "Tiếp tục" says it is not sent.
  const [navigation] = performance.getEntriesByType("navigation");
  const restored = navigation && ["reload", "back_forward"].includes(navigation.type);
  const sendChosenEarly = () => {
    if (restored) {
      return;
    }
    for (const block of form.querySelectorAll(".upload-component")) {
      const input = inputOf(block);
      if (input.files.length && !block.dataset.uploading && window.htmx) {
        window.htmx.trigger(input, "change");
      }
    }
  };
  if (document.readyState === "complete") {
    sendChosenEarly();
  } else {
    document.addEventListener("DOMContentLoaded", sendChosenEarly);
  }

  form.addEventListener("submit", (event) => {
    if (!event.submitter || event.submitter.name !== "continue") {
      return;
    }
    const unsent = Array.from(form.querySelectorAll(".upload-component")).filter(
      (block) => block.dataset.uploading || inputOf(block).files.length > 0,
    );
    if (unsent.length) {
      event.preventDefault();
      for (const block of unsent) {
        showError(block, [form.dataset.unsent]);
      }
      inputOf(unsent[0]).focus();
    }
  });
})();
