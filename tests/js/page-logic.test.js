// Unit tests of static/js/page-logic.js, the page scripts' rules that need no page
// (run by `make test-js`: node's own test runner, no browser).
const test = require('node:test');
const assert = require('node:assert/strict');
const logic = require('../../static/js/page-logic.js');

const calm = {time: 10_000, busy: false, lastBusy: 0, lastInput: 0, hasNow: false, hasSeen: false, seenNear: false};

test('a "show now" button is clicked at once once the page is calm', () => {
  assert.equal(logic.release({...calm, hasNow: true, hasSeen: true}), 'now');
  assert.equal(logic.release({...calm, hasNow: true, busy: true}), null);
});

test("nothing is clicked within a second of the user's own input", () => {
  const s = {...calm, hasNow: true, lastInput: calm.time - logic.INPUT_GAP_MS + 1};
  assert.equal(logic.release(s), null);
  assert.equal(logic.release({...s, lastInput: calm.time - logic.INPUT_GAP_MS}), 'now');
});

test('charts come when near the screen, or after a calm spell', () => {
  const recent = {...calm, hasSeen: true, lastBusy: calm.time - logic.CALM_MS + 1};
  assert.equal(logic.release(recent), null);
  assert.equal(logic.release({...recent, seenNear: true}), 'seen');
  assert.equal(logic.release({...recent, lastBusy: calm.time - logic.CALM_MS}), 'seen');
  assert.equal(logic.release(calm), null); // nothing to release
});

test('the page is released once no button is left and no rerun ran for a calm spell', () => {
  assert.equal(logic.released(calm), true);
  assert.equal(logic.released({...calm, hasNow: true}), false);
  assert.equal(logic.released({...calm, hasSeen: true}), false);
  assert.equal(logic.released({...calm, busy: true}), false);
  assert.equal(logic.released({...calm, lastBusy: calm.time - logic.CALM_MS + 1}), false); // a rerun may bring one
});

test('near the screen: on it, or within 200 px of it', () => {
  assert.equal(logic.nearScreen({top: 900, bottom: 1300, height: 400}, 768), true);
  assert.equal(logic.nearScreen({top: 1000, bottom: 1400, height: 400}, 768), false);
  assert.equal(logic.nearScreen({top: -500, bottom: -150, height: 350}, 768), true);
  assert.equal(logic.nearScreen({top: 100, bottom: 100, height: 0}, 768), false); // not laid out
});

test('a chart printed at the page width (186 mm in CSS pixels), tall enough to read', () => {
  assert.equal(Math.round(logic.PRINT_WIDTH), 703);
  assert.deepEqual(logic.printChartSize(400), {width: 702, height: 400}); // its own height
  assert.deepEqual(logic.printChartSize(120), {width: 702, height: logic.PRINT_CHART_MIN_HEIGHT});
  assert.deepEqual(logic.printChartSize(undefined), {width: 702, height: null}); // Plotly's default
  assert.deepEqual(logic.printChartSize(Number.NaN), {width: 702, height: null});
});
