// Installed in every page of the browser tests before the page's own scripts
// (tests/e2e/conftest.py, helpers.instrument): what tests/e2e/helpers.py's wait_idle reads to
// tell that Streamlit has settled. Counts the messages the page sends to the server over its
// websocket and the ones it receives; a message sent and not yet answered (a rerun request, a
// heartbeat) means the server still has something to say.
(() => {
  if (window.__fjSettle) return;
  const settle = (window.__fjSettle = { sent: 0, received: 0, awaiting: false, quiet: 0 });
  const Native = window.WebSocket;
  if (!Native) return;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    settle.sent += 1;
    settle.awaiting = true;
    return send.call(this, data);
  };
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => {
        settle.received += 1;
        settle.awaiting = false;
      });
    }
  }
  window.WebSocket = Watched;
})();
