"""The browser files (styles, ES modules, images, the vendored Socket.IO client), shipped
inside the package as ``pinnwand.static`` and served at ``/assets/``."""
