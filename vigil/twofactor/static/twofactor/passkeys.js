// After django-otp-webauthn registers a passkey, carry on: the page's hidden
// #passkey-registered form says where (recovery codes after a first factor, else back).
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var form = document.getElementById("passkey-registered");
    if (form) {
      form.submit();
    }
  });
})();
