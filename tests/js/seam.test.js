// Unit tests of static/js/seam.js, the page scripts' one reach into Streamlit's DOM (run by
// `make test-js`: node's own test runner, no browser): the selectors it builds, and that every
// lookup answers "not found" instead of throwing.
const test = require('node:test');
const assert = require('node:assert/strict');
const seam = require('../../static/js/seam.js');

test("a keyed element's selector and a key prefix's", () => {
  assert.equal(seam.key('detail_panel'), '.st-key-detail_panel');
  assert.equal(seam.keyPrefix('show_now_'), '[class*="st-key-show_now_"]');
  assert.ok(seam.key('x').includes(seam.KEY_CLASS));
});

test('the selectors of Streamlit and Plotly it names', () => {
  assert.equal(seam.SIDEBAR_CONTENT, '[data-testid=stSidebarUserContent]');
  assert.equal(seam.SIDEBAR_CLOSE, '[data-testid=stSidebarCollapseButton] button');
  assert.ok(seam.RUNNING.includes('stStatusWidget') && seam.RUNNING.includes('[data-stale=true]'));
  assert.ok(seam.PLOTLY_GRAPH.startsWith(seam.PLOTLY_CHART));
});

test('a lookup the browser refuses, or finds nothing for, is empty', () => {
  const refusing = {
    querySelectorAll() {
      throw new Error('SyntaxError: not a valid selector');
    },
  };
  assert.deepEqual(seam.all(refusing, '[['), []);
  assert.equal(seam.first(refusing, '[['), null);
  const found = {querySelectorAll: (selector) => (selector === 'b' ? ['one', 'two'] : [])};
  assert.equal(seam.first(found, 'b'), 'one');
  assert.equal(seam.first(found, 'a'), null);
});

test("a frame's namespace: ours, none, or another origin's (which throws on access)", () => {
  assert.equal(seam.frameNamespace({contentWindow: {fjchains: {drawn: true}}}).drawn, true);
  assert.equal(seam.frameNamespace({contentWindow: {}}), null);
  assert.equal(seam.frameNamespace(null), null);
  const foreign = {
    get contentWindow() {
      throw new Error('SecurityError: cross-origin');
    },
  };
  assert.equal(seam.frameNamespace(foreign), null);
});
