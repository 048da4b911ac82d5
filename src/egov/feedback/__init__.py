"""Questions and feedback (phản ánh, kiến nghị — PAKN) on administrative regulations and
conduct: intake, routing, answers, publication, rating, indicators. See docs/feedback.md."""
