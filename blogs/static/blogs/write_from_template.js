// Live preview for "Write a post from this template": re-render the filled post as the editor
// types. Without JavaScript the "Preview" button does the same with a full page load.
(function () {
  "use strict";
  const form = document.querySelector("[data-blogs-write]");
  const target = document.getElementById("blogs-preview");
  if (!form || !target) return;
  let timer = null;
  const refresh = () => {
    const data = new FormData(form);
    data.append("preview", "1");
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    })
      .then((response) => response.text())
      .then((html) => { target.innerHTML = html; })
      .catch(() => {});
  };
  const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, 400); };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
