// Opens the phone's Socket.IO transport before anyone has joined: written into the phone page
// right after the Socket.IO client, in the same script element (app/pages/inline.py). phone.js
// connects on it with the participant's token (`window.pinnwandTransport`), so that joining
// costs no handshake round trip on a slow line.
(() => {
  // The same options as common.js SOCKET_OPTIONS (tests/http/test_phone_page.py compares them).
  const SOCKET_OPTIONS = {
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnectionDelay: 800,
    reconnectionDelayMax: 8000,
    timeout: 15000,
  };
  if (window.io && !window.pinnwandTransport) window.pinnwandTransport = new window.io.Manager(SOCKET_OPTIONS);
})();
