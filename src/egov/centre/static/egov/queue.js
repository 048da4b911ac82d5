// The queue's pages (egov.centre); no inline script anywhere (Content-Security-Policy).
(() => {
  "use strict";

  // Paper ticket: print at once on the kiosk, then go back to the kiosk's first screen.
  const body = document.body;
  if (body.hasAttribute("data-auto-print")) {
    window.addEventListener("load", () => window.print());
    const back = body.getAttribute("data-return-url");
    const after = Number(body.getAttribute("data-return-after") || "0");
    if (back && after > 0) {
      window.setTimeout(() => window.location.assign(back), after * 1000);
    }
  }

  // Display board: announce each new call in Vietnamese with the browser's speech synthesis,
  // once the staff turned the sound on (browsers speak only after a touch on the page).
  const board = document.getElementById("board-calls");
  if (!board) {
    return;
  }
  const toggle = document.querySelector("[data-board-sound]");
  const KEY = "egov-board-sound";
  const canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
  let soundOn = canSpeak && window.localStorage.getItem(KEY) === "1";
  const seen = new Set();
  const remember = () => board.querySelectorAll("[data-call]").forEach((row) => seen.add(row.dataset.call));
  remember();

  const showToggle = () => {
    if (!toggle) {
      return;
    }
    toggle.hidden = !canSpeak;
    toggle.setAttribute("aria-pressed", soundOn ? "true" : "false");
  };
  // The announcement is in the page's language (Vietnamese unless the board was switched).
  const english = document.documentElement.lang.toLowerCase().startsWith("en");
  const pageVoice = () =>
    window.speechSynthesis.getVoices().find((voice) => voice.lang.toLowerCase().startsWith(english ? "en" : "vi"));
  const say = (text) => {
    const utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = english ? "en-US" : "vi-VN";
    utterance.rate = 0.9;
    const voice = pageVoice();
    if (voice) {
      utterance.voice = voice;
    }
    window.speechSynthesis.speak(utterance);
  };

  if (toggle) {
    toggle.addEventListener("click", () => {
      soundOn = canSpeak && !soundOn;
      window.localStorage.setItem(KEY, soundOn ? "1" : "0");
      showToggle();
    });
  }
  showToggle();

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target !== board) {
      return;
    }
    const fresh = Array.from(board.querySelectorAll("[data-call]")).filter((row) => !seen.has(row.dataset.call));
    fresh.reverse().forEach((row) => {
      seen.add(row.dataset.call);
      board.dataset.announced = row.dataset.say || "";
      if (soundOn && row.dataset.say) {
        say(row.dataset.say);
      }
    });
  });
})();
