// The state picker follows the country picker (the states come from the page's JSON), so the
// "Show the states of this country" button is needed only without JavaScript.
(function () {
  "use strict";
  var data = document.getElementById("country-states");
  var country = document.getElementById("id_country");
  var state = document.getElementById("id_state");
  if (!data || !country || !state) return;
  var states = JSON.parse(data.textContent);
  var refresh = document.querySelector("[data-refresh-states]");
  if (refresh) refresh.hidden = true;
  country.addEventListener("change", function () {
    var list = states[country.value] || [];
    var chosen = state.value;
    state.innerHTML = "";
    state.add(new Option(list.length ? "Choose a state or province" : "Not needed for this country", ""));
    list.forEach(function (pair) {
      state.add(new Option(pair[1], pair[0], false, pair[0] === chosen));
    });
  });
})();
