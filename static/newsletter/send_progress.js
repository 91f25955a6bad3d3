// The send page's progress bar: poll progress.json every 2 s while the send is scheduled or
// running, update the bar and the report's counts, and reload the page when the state changes
// (so the buttons and the deliveries list match the new state). A failed poll retries in 5 s.
(function () {
  "use strict";
  const bar = document.getElementById("send-progress");
  if (!bar || !bar.dataset.progressUrl) return;
  const url = bar.dataset.progressUrl;
  const state = bar.dataset.state;
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        document.querySelectorAll("[data-count]").forEach(function (cell) {
          cell.textContent = data[cell.dataset.count];
        });
        if (data.state !== state) { window.location.reload(); } else { setTimeout(poll, 2000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
