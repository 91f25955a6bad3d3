// Copy buttons, site-wide (progressive enhancement: without JavaScript the text is still there
// to select and copy by hand, and no dead button is shown).
// - A field with data-copy="Button label" gets a Copy button and a status line after it.
// - A button with data-copy-target="field-id" copies that field.
// The result is announced in the status line beside the button (role="status" is a polite
// aria-live region), so screen reader users hear "Copied." too.

document.querySelectorAll("[data-copy]").forEach((field) => {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-outline-primary btn-sm";
  button.dataset.copyTarget = field.id;
  button.textContent = field.dataset.copy || "Copy";
  const status = document.createElement("span");
  status.className = "small ms-2";
  status.setAttribute("role", "status");
  status.dataset.copyStatus = "";
  const line = document.createElement("div");
  line.className = "mb-2";
  line.append(button, status);
  field.after(line);
});

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  const status = button.parentElement.querySelector("[data-copy-status]");
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = "Copied.";
  } catch (error) {
    if (status) status.textContent = "Select the text and press Ctrl+C (Cmd+C on a Mac) to copy.";
  }
});
