// "Copy text" buttons: copy the target textarea to the clipboard and say so.
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
