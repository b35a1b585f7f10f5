/* The "copy the list" buttons (templates/macros/sharing.html): hidden without this script.
   A button copies the text of the element its data-copy names; where the clipboard is not
   available, the text is selected for the phone's own copy menu. Either way the status beside
   the button (role="status") says what happened. */
(function () {
  "use strict";

  function say(status, message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function select(target, status) {
    var details = target.closest("details");
    if (details) { details.open = true; }
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.selectAllChildren(target);
    say(status, status.dataset.select);
  }

  function copy(button) {
    var target = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    if (!target || !status) { return; }
    var text = target.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(status, status.dataset.copied); },
        function () { select(target, status); }
      );
    } else {
      select(target, status);
    }
  }

  document.querySelectorAll("button.copy-button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () { copy(button); });
    button.hidden = false;
  });
}());
