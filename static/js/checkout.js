// Checkout niceties; every page works without them (the server validates and re-renders).
(function () {
  "use strict";

  // A saved address hides the new-address fields; "the same as shipping" hides billing.
  function toggleNewAddress(group) {
    var chosen = document.querySelector('input[name="' + group + '_choice"]:checked');
    var fields = document.getElementById(group + "-new");
    if (fields && chosen) fields.hidden = chosen.value !== "new";
  }
  ["ship", "bill"].forEach(function (group) {
    document.querySelectorAll('input[name="' + group + '_choice"]').forEach(function (radio) {
      radio.addEventListener("change", function () { toggleNewAddress(group); });
    });
    toggleNewAddress(group);
  });
  var sameAsShipping = document.getElementById("id_use_shipping");
  var billing = document.getElementById("billing");
  if (sameAsShipping && billing) {
    var toggleBilling = function () { billing.hidden = sameAsShipping.checked; };
    sameAsShipping.addEventListener("change", toggleBilling);
    toggleBilling();
  }

  // Card details only matter for a card payment method.
  var card = document.querySelector("[data-card-methods]");
  if (card) {
    var cardMethods = card.dataset.cardMethods.split(" ");
    var toggleCard = function () {
      var method = document.querySelector('input[name="method"]:checked');
      card.hidden = !method || cardMethods.indexOf(method.value) === -1;
    };
    document.querySelectorAll('input[name="method"]').forEach(function (radio) {
      radio.addEventListener("change", toggleCard);
    });
    toggleCard();
  }
})();
