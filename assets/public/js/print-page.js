// "In" buttons print the page. They start hidden, so that without JavaScript none is offered that does
// nothing (the browser's own Print still works); no inline handler, as the CSP runs scripts from /static only.
(function () {
  'use strict';
  for (const button of document.querySelectorAll('[data-print]')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
})();
