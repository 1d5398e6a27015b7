// "Copy link" next to a read-only share link; without JavaScript the link is still selectable.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { if (status) status.textContent = "Link copied."; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          input.select();
          if (status) status.textContent = "Press Ctrl+C to copy the selected link.";
        });
      } else {
        input.select();
        document.execCommand("copy");
        done();
      }
    });
  });
})();
