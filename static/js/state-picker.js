// A state picker follows its country picker: the country's select names its state field in
// `data-state-picker`, and the page's JSON holds every served country's choices (blank first),
// so the "Show the states of the chosen country" button is needed only without JavaScript.
(function () {
  "use strict";
  var dataNode = document.getElementById("state-picker-data");
  if (!dataNode) return;
  var states = JSON.parse(dataNode.textContent);
  document.querySelectorAll("[data-refresh-states]").forEach(function (button) {
    button.hidden = true;
  });
  document.querySelectorAll("select[data-state-picker]").forEach(function (country) {
    var picker = document.querySelector('select[name="' + country.dataset.statePicker + '"]');
    if (!picker) return;
    country.addEventListener("change", function () {
      var chosen = picker.value;
      var options = (states[country.value] || []).map(function (pair) {
        return new Option(pair[1], pair[0], false, pair[0] === chosen);
      });
      picker.replaceChildren.apply(picker, options);
    });
  });
})();
